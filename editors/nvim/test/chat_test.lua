-- :CodeAssistChat and :CodeAssistExplain against the real server: the answer streams into the chat split as
-- partial results arrive, ends as the final result's text, and its references fill the quickfix list.
local t = require('harness')
local support = require('support')

local api = vim.api

support.setup()

local chat = require('codeassist.chat')
local path = support.samples .. '/src/Bookshelf.Services/LendingService.cs'

local function open_with_model()
  local bufnr, client = support.open(path)
  t.ok((client.server_capabilities or {}).codeActionProvider, 'the server offers its code actions (codeActionProvider)')
  t.wait(120000, function()
    local model = support.status(client).model
    t.ok(model.state ~= 'none', 'a model is configured (CODEASSIST_TEST_MODEL, see run.sh)')
    t.ok(model.state ~= 'failed', 'the model loads: ' .. tostring(model.error))
    return model.state == 'ready'
  end, 'the model to load')
  return bufnr, client
end

local function chat_window()
  for _, win in ipairs(api.nvim_tabpage_list_wins(0)) do
    if api.nvim_win_get_buf(win) == chat.bufnr() then
      return win
    end
  end
  return nil
end

local function chat_text()
  return table.concat(api.nvim_buf_get_lines(chat.bufnr(), 0, -1, false), '\n')
end

-- Waits for the answer after the `before`-th (the number of chat.state().last), and fails on an error answer.
local function wait_for_answer(before)
  -- A hang guard: on two busy cores a cold question context and the answer can take minutes.
  t.wait(300000, function()
    local state = chat.state()
    return not state.running and state.last ~= nil and state.last.number > before
  end, 'the answer')
  local state = chat.state()
  t.eq(nil, state.last.error, 'the server\'s error')
  return state
end

local function answers()
  local last = chat.state().last
  return last and last.number or 0
end

test(':CodeAssistChat streams the answer into a split and lists its references in the quickfix list', function()
  local source = open_with_model()
  local windows = #api.nvim_tabpage_list_wins(0)
  local before = answers()
  vim.cmd('CodeAssistChat Where does a loan get its due date?')
  t.ok(chat.bufnr(), 'a chat buffer')
  t.eq(windows + 1, #api.nvim_tabpage_list_wins(0), 'a split for the chat')
  t.eq(source, api.nvim_get_current_buf(), 'the cursor stays in the code')
  local state = wait_for_answer(before)
  t.ok(state.last.chunks >= 1, 'partial results arrived (' .. state.last.chunks .. ')')
  t.eq(state.last.text, state.last.streamed, 'the streamed chunks make the final text')
  t.eq('assistant', state.messages[2].role)
  local text = chat_text()
  t.ok(text:find('## You\nWhere does a loan get its due date?', 1, true), 'the question in the split:\n' .. text)
  t.ok(text:find('## CodeAssist\n' .. state.last.text, 1, true), 'the answer in the split:\n' .. text)
  t.ok(state.last.references >= 1, 'the answer names the repository locations it used')
  local quickfix = vim.fn.getqflist({ title = 1, items = 1 })
  t.eq(state.last.references, #quickfix.items, 'one quickfix entry per reference')
  t.ok(quickfix.title:find('CodeAssist', 1, true), 'the quickfix title: ' .. quickfix.title)
  local first = quickfix.items[1]
  t.ok(vim.fn.filereadable(vim.fn.bufname(first.bufnr)) == 1, 'a reference to a file of the repository')
  t.ok(first.lnum >= 1, 'with its line')
end)

test('a follow-up question continues the conversation in the same split', function()
  open_with_model()
  local before = answers()
  vim.cmd('CodeAssistChat And what if it is overdue?')
  local state = wait_for_answer(before)
  t.eq({ 'user', 'assistant', 'user', 'assistant' }, vim.tbl_map(function(message)
    return message.role
  end, state.messages))
  t.ok(chat_window(), 'the chat split is still open')
  t.ok(chat_text():find('## You\nAnd what if it is overdue?', 1, true), 'the follow-up in the split')
end)

test(':CodeAssistChat! starts a new conversation about the selected lines', function()
  open_with_model()
  local before = answers()
  vim.cmd('15,52CodeAssistChat! What does this method do?')
  local state = wait_for_answer(before)
  t.eq(2, #state.messages, 'a new conversation')
  t.ok(chat_text():find('_(lines 15–52 of', 1, true), 'the range is named in the split')
end)

test(':CodeAssistExplain on a range streams an explanation into the split', function()
  open_with_model()
  local before = answers()
  vim.cmd('55,76CodeAssistExplain')
  local state = wait_for_answer(before)
  t.ok(chat_text():find('## Explain samples/src/Bookshelf.Services/LendingService.cs, lines 55–76', 1, true),
    'the heading names the file and lines:\n' .. chat_text())
  t.ok(state.last.chunks >= 1, 'the explanation streamed')
  t.ok(chat_text():find(state.last.text, 1, true), 'the explanation is in the split')
end)

test(':CodeAssistExplain without a range explains the member at the cursor, as the server\'s code action names it', function()
  local bufnr = open_with_model()
  api.nvim_win_set_cursor(0, { 68, 8 })
  local before = answers()
  vim.cmd('CodeAssistExplain')
  local state = wait_for_answer(before)
  t.ok(chat_text():find('## Explain samples/src/Bookshelf.Services/LendingService.cs, lines', 1, true), 'a heading')
  t.ok(state.last.chunks >= 1, 'the explanation streamed')
  local first, last
  for line_first, line_last in chat_text():gmatch('## Explain [^\n]*, lines (%d+)–(%d+)') do
    first, last = tonumber(line_first), tonumber(line_last)
  end
  t.ok(first <= 68 and last >= 68, 'the member holds the cursor: lines ' .. first .. '–' .. last)
  t.eq(bufnr, api.nvim_get_current_buf())
end)

test('the server\'s code actions run through the plugin: Translate to… opens the translation', function()
  local bufnr, client = open_with_model()
  api.nvim_win_set_cursor(0, { 68, 8 })
  local actions, err = support.request(client, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 67, character = 8 }, ['end'] = { line = 67, character = 8 } },
    context = { diagnostics = {} },
  }, bufnr)
  t.eq(nil, err)
  local commands = {}
  local translate
  for _, action in ipairs(actions or {}) do
    commands[#commands + 1] = action.command.command
    if action.command.command == 'codeassist.translate' then
      translate = action.command
    end
  end
  t.ok(vim.tbl_contains(commands, 'codeassist.explain') and vim.tbl_contains(commands, 'codeassist.document'),
    'the server offers the CodeAssist actions: ' .. vim.inspect(commands))
  t.ok(translate, 'a Translate to… action')
  translate = vim.deepcopy(translate)
  translate.arguments[1].language = 'python'
  local before = require('codeassist.actions').state().number
  vim.lsp.commands['codeassist.translate'](translate, { bufnr = bufnr, client_id = client.id })
  t.wait(180000, function()
    local state = require('codeassist.actions').state()
    return state.number > before and not state.running
  end, 'the translation')
  t.eq('python', vim.bo.filetype, 'the translation opened in a python buffer')
  vim.cmd('close')
end)

test('a question asked while one is answered stops the first; the conversation keeps answered questions only', function()
  open_with_model()
  local before = answers()
  vim.cmd('CodeAssistChat! Which policy limits the loans?')
  t.ok(chat.state().running, 'the first question is being answered')
  vim.cmd('CodeAssistChat How are late fees charged?')
  local state = wait_for_answer(before)
  t.eq({ 'user', 'assistant' }, vim.tbl_map(function(message)
    return message.role
  end, state.messages))
  t.eq('How are late fees charged?', state.messages[1].content)
  t.ok(chat_text():find('_Stopped._', 1, true), 'the first answer is marked as stopped:\n' .. chat_text())
end)
