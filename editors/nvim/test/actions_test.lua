-- :CodeAssistDoc, :CodeAssistTranslate and :CodeAssistTests against the real server: the documentation edit lands
-- in the buffer, the translation opens in a new buffer, the generated tests are written and opened. Run on a copy
-- of samples/ since generating tests creates a file.
local t = require('harness')
local support = require('support')

local api = vim.api

support.setup()

local actions = require('codeassist.actions')

local copy = support.temporary_folder('samples')
support.run({ 'cp', '-r', support.samples .. '/.', copy })
support.run({ 'rm', '-rf', copy .. '/src/Bookshelf.Core/bin', copy .. '/src/Bookshelf.Core/obj',
  copy .. '/src/Bookshelf.Services/bin', copy .. '/src/Bookshelf.Services/obj', copy .. '/tests/Bookshelf.Tests/bin',
  copy .. '/tests/Bookshelf.Tests/obj' })
local path = copy .. '/src/Bookshelf.Services/BookExtensions.cs'

local function open_with_model()
  local bufnr, client = support.open(path)
  t.wait(120000, function()
    local model = support.status(client).model
    t.ok(model.state ~= 'none', 'a model is configured (CODEASSIST_TEST_MODEL, see run.sh)')
    t.ok(model.state ~= 'failed', 'the model loads: ' .. tostring(model.error))
    return model.state == 'ready'
  end, 'the model to load')
  return bufnr, client
end

-- Runs `command` and waits for the request it sends to be answered; fails on an error answer.
local function run(command)
  local before = actions.state().number
  vim.cmd(command)
  t.wait(180000, function()
    local state = actions.state()
    return state.number > before and not state.running
  end, command)
  local state = actions.state()
  t.eq(nil, state.error, command .. ': the server\'s error')
  return state.result
end

test(':CodeAssistDoc inserts the comments the server writes, and only those', function()
  local bufnr = open_with_model()
  local before = api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local result = run('13,20CodeAssistDoc')
  -- A random-weight model may write nothing the server can use as a comment; then it documents nothing and the
  -- edit is empty.
  local documented = result.documented or {}
  local after = api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local added = {}
  for _, line in ipairs(after) do
    if not vim.tbl_contains(before, line) then
      added[#added + 1] = line
    end
  end
  for _, line in ipairs(added) do
    t.ok(line:match('^%s*///'), 'only documentation comments are added: ' .. line)
  end
  t.eq(#documented > 0, #added > 0, 'comments are added exactly when members were documented')
  t.eq(#before + #added, #after, 'no line removed')
end)

test(':CodeAssistTranslate opens the translation in a new buffer', function()
  local bufnr = open_with_model()
  local windows = #api.nvim_tabpage_list_wins(0)
  local result = run('16CodeAssistTranslate python')
  t.eq('python', result.language)
  t.eq(windows + 1, #api.nvim_tabpage_list_wins(0), 'a new window')
  local target = api.nvim_get_current_buf()
  t.ok(target ~= bufnr, 'a new buffer')
  t.eq('python', api.nvim_buf_get_option(target, 'filetype'))
  t.eq(vim.split(result.text:gsub('\r\n', '\n'), '\n', true), api.nvim_buf_get_lines(target, 0, -1, false))
  vim.cmd('close')
end)

test(':CodeAssistTests writes the tests where the server says and opens them', function()
  open_with_model()
  local result = run('16CodeAssistTests')
  local file = vim.uri_to_fname(result.uri)
  t.ok(file:find(copy, 1, true) == 1, 'inside the repository: ' .. file)
  t.eq(file, vim.fn.resolve(api.nvim_buf_get_name(0)), 'the test file is open')
  t.eq(vim.split(result.text:gsub('\r\n', '\n'), '\n', true), api.nvim_buf_get_lines(0, 0, -1, false))
  t.ok(result.framework == 'xunit', 'the solution\'s framework: ' .. tostring(result.framework))
end)
