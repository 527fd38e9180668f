-- :CodeAssistCommitMessage in a temporary git repository: the server's message for the staged change fills the
-- gitcommit buffer above git's comments; with nothing changed the buffer is left alone and the user is told why.
local t = require('harness')
local support = require('support')

local api = vim.api

support.setup()

local commit = require('codeassist.commit')

local template = {
  '',
  '# Please enter the commit message for your changes. Lines starting',
  "# with '#' will be ignored, and an empty message aborts the commit.",
  '#',
  '# On branch main',
}

-- A repository holding samples/src/Bookshelf.Core, committed once.
local function repository()
  local folder = support.temporary_folder('commit')
  local source = support.samples .. '/src/Bookshelf.Core'
  for _, file in ipairs(vim.fn.readdir(source)) do
    if file:match('%.cs$') or file:match('%.csproj$') then
      support.write_file(folder .. '/src/Bookshelf.Core/' .. file, vim.fn.readfile(source .. '/' .. file, 'b'))
    end
  end
  support.run({ 'git', 'init', '-q', '-b', 'main' }, folder)
  support.run({ 'git', 'config', 'user.email', 'test@example.com' }, folder)
  support.run({ 'git', 'config', 'user.name', 'Test' }, folder)
  support.run({ 'git', 'add', '.' }, folder)
  support.run({ 'git', 'commit', '-q', '-m', 'Bookshelf core' }, folder)
  return folder
end

-- The commit buffer of `folder`, with its server started and its model loaded.
local function open_message(folder)
  local path = folder .. '/.git/COMMIT_EDITMSG'
  vim.fn.writefile(template, path)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  t.eq('gitcommit', api.nvim_buf_get_option(0, 'filetype'))
  local bufnr = api.nvim_get_current_buf()
  local id = require('codeassist.server').attach(bufnr, folder)
  t.wait(60000, function()
    return support.clients(bufnr)[1] ~= nil and support.clients(bufnr)[1].id == id
  end, 'the server of the repository')
  t.wait(120000, function()
    local model = support.status(support.clients(bufnr)[1]).model
    t.ok(model.state ~= 'none', 'a model is configured (CODEASSIST_TEST_MODEL, see run.sh)')
    return model.state == 'ready'
  end, 'the model to load')
  return bufnr
end

local function wait_for_commit()
  t.wait(180000, function()
    return not commit.state().running
  end, 'the commit message')
  return commit.state()
end

test('the staged change gets a message above git\'s comments', function()
  local folder = repository()
  local book = folder .. '/src/Bookshelf.Core/Book.cs'
  local lines = vim.fn.readfile(book)
  table.insert(lines, '')
  table.insert(lines, 'public static class ShelfMarks')
  table.insert(lines, '{')
  table.insert(lines, '    public static string Of(Book book) => book.Title.ToUpperInvariant();')
  table.insert(lines, '}')
  vim.fn.writefile(lines, book)
  support.run({ 'git', 'add', 'src/Bookshelf.Core/Book.cs' }, folder)
  local bufnr = open_message(folder)
  vim.cmd('CodeAssistCommitMessage')
  local state = wait_for_commit()
  t.eq(nil, state.error, 'the server\'s error')
  local result = state.result
  t.ok(type(result.subject) == 'string' and result.subject ~= '', 'a subject')
  t.eq('staged', result.source)
  local buffer = api.nvim_buf_get_lines(bufnr, 0, -1, false)
  t.eq(result.subject, buffer[1], 'the subject on the first line')
  local body = (result.body and result.body ~= vim.NIL and result.body ~= '') and vim.split(result.body:gsub('\n+$', ''), '\n', true) or {}
  local expected = { result.subject }
  if #body > 0 then
    table.insert(expected, '')
    vim.list_extend(expected, body)
  end
  table.insert(expected, '')
  vim.list_extend(expected, vim.list_slice(template, 2))
  t.eq(expected, buffer, 'message, a blank line, then git\'s comments')
  local status = support.status(support.clients(bufnr)[1])
  t.eq({ vim.uri_from_fname(folder) }, status.workspaceFolders, 'a server for the repository')
end)

test('with nothing changed the buffer is left alone and the error is shown', function()
  local folder = repository()
  local bufnr = open_message(folder)
  local messages = {}
  local notify = vim.notify
  vim.notify = function(message, level)
    messages[#messages + 1] = { message = message, level = level }
  end
  vim.cmd('CodeAssistCommitMessage')
  local state = wait_for_commit()
  vim.notify = notify
  t.ok(state.error, 'the server refuses')
  t.eq(template, api.nvim_buf_get_lines(bufnr, 0, -1, false), 'the buffer is unchanged')
  t.eq(1, #messages, 'one message for the user')
  t.eq(vim.log.levels.ERROR, messages[1].level)
  t.ok(messages[1].message:find('no commit message', 1, true), messages[1].message)
end)
