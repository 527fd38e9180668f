-- Ghost text from the real server with the random-weight model, typed as a user types: shown, accepted whole, by
-- word and by line, cycled and dismissed, with the notifications the server counts. CODEASSIST_GHOST_TEXT picks
-- the implementation (auto: Neovim's own on 0.12+, extmarks elsewhere).
local t = require('harness')
local support = require('support')

local api = vim.api

support.setup()

local ghost = require('codeassist.ghost')
local builtin = ghost.implementation() == 'builtin'
local path = support.samples .. '/src/Bookshelf.Services/LendingService.cs'

-- What is on screen as ghost text in `bufnr`: the text it would insert at the cursor, or nil.
local function shown(bufnr)
  if not builtin then
    local current = ghost.current(bufnr)
    local marks = api.nvim_buf_get_extmarks(bufnr, ghost.namespace, 0, -1, {})
    return current and #marks > 0 and current.text or nil
  end
  local namespace = api.nvim_create_namespace('nvim.lsp.inline_completion')
  local marks = api.nvim_buf_get_extmarks(bufnr, namespace, 0, -1, { details = true })
  local mark = marks[1]
  if not mark then
    return nil
  end
  local details = mark[4]
  local parts = {}
  for _, chunk in ipairs(details.virt_text or {}) do
    parts[#parts + 1] = chunk[1]
  end
  local text = table.concat(parts)
  for _, line in ipairs(details.virt_lines or {}) do
    local line_parts = {}
    for _, chunk in ipairs(line) do
      line_parts[#line_parts + 1] = chunk[1]
    end
    text = text .. '\n' .. table.concat(line_parts)
  end
  return text
end

local function wait_for_ghost(bufnr, what)
  local text
  t.wait(90000, function()
    text = shown(bufnr)
    return text ~= nil and text ~= ''
  end, 'ghost text ' .. what)
  return text
end

local function completion_counts(client)
  return support.status(client).completion or {}
end

-- The same text in a Python file of its own folder (a .git marks the root): the tests of the client's mechanics need a
-- suggestion shown whatever the random-weight model writes, and in C# the server's compiler check turns most of that
-- noise away (the first test and the CRLF test show C# suggestions).
local plain_path
local function plain_copy()
  if not plain_path then
    local folder = support.temporary_folder('plain')
    vim.fn.mkdir(folder .. '/.git', 'p')
    plain_path = folder .. '/lending_service.py'
    vim.fn.writefile(vim.fn.readfile(path), plain_path)
  end
  return plain_path
end

-- The file open with the model loaded, the cursor on a new line inside BorrowAsync (after `var today = …`): the C#
-- file of samples/, or with `plain` its Python copy.
local function open_at_new_line(plain)
  local bufnr, client = support.open(plain and plain_copy() or path)
  local capabilities = client.server_capabilities or {}
  t.ok(capabilities.inlineCompletionProvider, 'the server offers inline completion (inlineCompletionProvider)')
  t.wait(120000, function()
    local model = support.status(client).model
    t.ok(model.state ~= 'none', 'a model is configured (CODEASSIST_TEST_MODEL, see run.sh)')
    t.ok(model.state ~= 'failed', 'the model loads: ' .. tostring(model.error))
    return model.state == 'ready'
  end, 'the model to load')
  -- As a C# user has it: 'o' indents the new line with spaces like the line above.
  vim.bo[bufnr].expandtab = true
  vim.bo[bufnr].shiftwidth = 4
  api.nvim_win_set_cursor(0, { 45, 0 })
  return bufnr, client
end

local function expected_after(prefix, text, rest)
  local lines = vim.split(prefix .. text .. rest, '\n', true)
  return lines
end

test('typing after `today.` shows ghost text from the server; Tab accepts it', function()
  local bufnr, client = open_at_new_line()
  support.type('ovar dueOn = today.')
  local prefix = api.nvim_get_current_line()
  t.eq('        var dueOn = today.', prefix)
  local text = wait_for_ghost(bufnr, 'after today.')
  support.type('<Tab>')
  t.wait(10000, function()
    return api.nvim_get_current_line() ~= prefix
  end, 'the accepted text in the buffer')
  local lines = api.nvim_buf_get_lines(bufnr, 45, 45 + #vim.split(text, '\n', true), false)
  t.eq(expected_after(prefix, text, ''), lines, 'the buffer after accepting')
  t.wait(30000, function()
    return (completion_counts(client).accepted or 0) >= 1
  end, 'the server to count the acceptance (the item\'s command)')
  if not builtin then
    t.ok(completion_counts(client).shown >= 1, 'codeassist/didShowCompletion was sent')
  end
  support.type('<Esc>')
end)

test('Alt-w accepts a word and Alt-l a line, reported as partial acceptances', function()
  local bufnr, client = open_at_new_line()
  local suggestion = require('codeassist.suggestion')
  -- A random-weight model may write one long word; look for a suggestion with more than one word to take a part of.
  -- (With random weights what follows the fill-in-the-middle marker barely depends on the document; after `today.`
  -- the server holds the first word to DateOnly's members, so the noise there comes in words.)
  local text, prefix
  local seen = {}
  for _, typed in ipairs({ 'var dueOn = today.', 'var due = loan.', 'return ' }) do
    vim.cmd('edit!')
    api.nvim_win_set_cursor(0, { 45, 0 })
    support.type('o' .. typed)
    local shown_text = wait_for_ghost(bufnr, 'after ' .. typed)
    seen[#seen + 1] = shown_text
    if suggestion.piece(shown_text, 'word') ~= shown_text then
      text, prefix = shown_text, api.nvim_get_current_line()
      break
    end
    support.type('<Esc>')
  end
  t.ok(text, 'a suggestion of more than one word, among ' .. vim.inspect(seen))
  local word = suggestion.piece(text, 'word')
  support.type('<M-w>')
  t.wait(10000, function()
    return api.nvim_get_current_line() ~= prefix
  end, 'the accepted word')
  local after_word = vim.split(prefix .. word, '\n', true)
  t.eq(after_word, api.nvim_buf_get_lines(bufnr, 45, 45 + #after_word, false), 'the first word is in the buffer')
  t.wait(30000, function()
    return (completion_counts(client).partiallyAccepted or 0) >= 1
  end, 'the server to count codeassist/didPartiallyAcceptCompletion')
  local rest = wait_for_ghost(bufnr, 'after accepting a word')
  local line = suggestion.piece(rest, 'line')
  local row = api.nvim_win_get_cursor(0)[1] - 1
  local before = api.nvim_get_current_line()
  support.type('<M-l>')
  t.wait(10000, function()
    return api.nvim_get_current_line() ~= before
  end, 'the accepted line')
  local after_line = vim.split(before .. line, '\n', true)
  t.eq(after_line, api.nvim_buf_get_lines(bufnr, row, row + #after_line, false), 'the line is in the buffer')
  support.type('<Esc>')
end)

test('typing a burst keeps at most one completion request in flight', function()
  local bufnr, client = open_at_new_line(true)
  support.type('o')
  local most = 0
  for character in ('var due = loan.'):gmatch('.') do
    api.nvim_input(character)
    t.sleep(15)
    local pending = 0
    for _, request in pairs(client.requests or {}) do
      if request.type == 'pending' and request.method:find('nlineCompletion') then
        pending = pending + 1
      end
    end
    most = math.max(most, pending)
  end
  t.ok(most <= 1, 'at most one pending request (saw ' .. most .. ')')
  wait_for_ghost(bufnr, 'after the burst')
  support.type('<Esc>')
end)

test('Ctrl-] dismisses the ghost text and Esc clears it', function()
  local bufnr = open_at_new_line(true)
  support.type('ovar member = loan.')
  wait_for_ghost(bufnr, 'before dismissing')
  support.type('<C-]>')
  t.wait(10000, function()
    return shown(bufnr) == nil
  end, 'the ghost text to go')
  t.eq('        var member = loan.', api.nvim_get_current_line(), 'dismissing leaves the buffer alone')
  support.type('M')
  wait_for_ghost(bufnr, 'after typing again')
  support.type('<Esc>')
  t.wait(10000, function()
    return shown(bufnr) == nil
  end, 'no ghost text in normal mode')
end)

test('Alt-] shows another candidate or keeps the one there is', function()
  local bufnr = open_at_new_line(true)
  support.type('ovar policyDays = policy.')
  wait_for_ghost(bufnr, 'before cycling')
  support.type('<M-]>')
  wait_for_ghost(bufnr, 'after cycling')
  support.type('<M-[>')
  wait_for_ghost(bufnr, 'after cycling back')
  support.type('<Esc>')
end)

test('a line with a surrogate pair before the cursor: the suggestion lands after the cursor', function()
  local bufnr = open_at_new_line(true)
  support.type('ovar clef = "𝄞" + book.')
  local prefix = api.nvim_get_current_line()
  t.eq('        var clef = "𝄞" + book.', prefix)
  local text = wait_for_ghost(bufnr, 'after a surrogate pair')
  support.type('<Tab>')
  t.wait(10000, function()
    return api.nvim_get_current_line() ~= prefix
  end, 'the accepted text')
  local lines = api.nvim_buf_get_lines(bufnr, 45, 45 + #vim.split(text, '\n', true), false)
  t.eq(expected_after(prefix, text, ''), lines)
  support.type('<Esc>')
end)

test('in a CRLF file the accepted text lands as lines without CR, and the server holds the same text', function()
  local folder = support.temporary_folder('crlf-samples')
  support.run({ 'cp', '-r', support.samples .. '/Bookshelf.sln', support.samples .. '/src', folder })
  local crlf = folder .. '/src/Bookshelf.Services/LendingService.cs'
  local lines = vim.fn.readfile(path)
  for index, line in ipairs(lines) do
    lines[index] = line .. '\r'
  end
  lines[#lines + 1] = ''
  vim.fn.writefile(lines, crlf, 'b')
  local bufnr, client = support.open(crlf)
  t.ok((client.server_capabilities or {}).inlineCompletionProvider, 'the server offers inline completion (inlineCompletionProvider)')
  t.eq('dos', vim.bo[bufnr].fileformat)
  t.wait(120000, function()
    return support.status(client).model.state == 'ready'
  end, 'the model to load')
  vim.bo[bufnr].expandtab = true
  api.nvim_win_set_cursor(0, { 45, 0 })
  support.type('ovar title = book.')
  local prefix = api.nvim_get_current_line()
  local text = wait_for_ghost(bufnr, 'in a CRLF file')
  support.type('<Tab>')
  t.wait(10000, function()
    return api.nvim_get_current_line() ~= prefix
  end, 'the accepted text')
  local accepted = api.nvim_buf_get_lines(bufnr, 45, 45 + #vim.split(text, '\n', true), false)
  t.eq(expected_after(prefix, text:gsub('\r\n', '\n'), ''), accepted)
  for _, line in ipairs(accepted) do
    t.ok(not line:find('\r', 1, true), 'no CR in the buffer: ' .. vim.inspect(line))
  end
  support.type('<Esc>')
  local buffer_text = table.concat(api.nvim_buf_get_lines(bufnr, 0, -1, false), '\r\n') .. '\r\n'
  local utf16 = require('codeassist.utf16')
  t.wait(30000, function()
    local document = support.server_document(client, vim.uri_from_bufnr(bufnr))
    return document and document.length == utf16.units(buffer_text)
  end, 'the server to hold the buffer\'s text, CR LF line ends included')
end)

test('the ghost text on screen (a terminal running Neovim)', function()
  open_at_new_line(true)
  local screen = require('screen')
  local lines = screen.capture(plain_copy(), 45, 'ovar dueOn = today.')
  local row
  for index, line in ipairs(lines) do
    if line:find('var dueOn = today.', 1, true) then
      row = index
    end
  end
  t.ok(row, 'the typed line is on screen:\n' .. table.concat(lines, '\n'))
  local after = lines[row]:match('var dueOn = today%.(.*)$')
  t.ok(after:match('^%s?%S'), 'ghost text right after the typed text:\n' .. table.concat(lines, '\n'))
  local out = os.getenv('CODEASSIST_NVIM_SCREEN')
  if out and out ~= '' then
    vim.fn.writefile(lines, out)
  end
end)
