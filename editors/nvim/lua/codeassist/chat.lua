-- The chat split: questions about the code (codeassist/chat) and explanations (codeassist/explain), streamed
-- into one markdown buffer as the server sends partial results; the repository locations each answer used go to
-- the quickfix list.
local config = require('codeassist.config')
local selection = require('codeassist.selection')
local server = require('codeassist.server')

local M = {}

local api = vim.api

-- The conversation of the chat buffer: the messages so far, the buffer the questions are about, the request in
-- flight ({ client, id, token }) and how the last answer arrived ({ number, chunks, streamed, text, references,
-- error }).
local conversation = { messages = {}, source = nil, running = nil, last = nil }
local chat_bufnr = nil

local function buffer()
  if chat_bufnr and api.nvim_buf_is_valid(chat_bufnr) then
    return chat_bufnr
  end
  chat_bufnr = api.nvim_create_buf(false, true)
  api.nvim_buf_set_name(chat_bufnr, 'codeassist://chat')
  api.nvim_buf_set_option(chat_bufnr, 'bufhidden', 'hide')
  api.nvim_buf_set_option(chat_bufnr, 'filetype', 'markdown')
  api.nvim_buf_set_option(chat_bufnr, 'modifiable', false)
  vim.keymap.set('n', '<C-c>', M.cancel, { buffer = chat_bufnr, desc = 'CodeAssist: stop the answer' })
  vim.keymap.set('n', 'i', function()
    vim.ui.input({ prompt = 'Ask CodeAssist: ' }, function(question)
      if question and question ~= '' then
        M.ask(nil, question, nil)
      end
    end)
  end, { buffer = chat_bufnr, desc = 'CodeAssist: ask a follow-up question' })
  return chat_bufnr
end

--- The chat buffer's number, or nil before the first question.
function M.bufnr()
  return chat_bufnr and api.nvim_buf_is_valid(chat_bufnr) and chat_bufnr or nil
end

local function window()
  local bufnr = buffer()
  for _, win in ipairs(api.nvim_tabpage_list_wins(0)) do
    if api.nvim_win_get_buf(win) == bufnr then
      return win
    end
  end
  local previous = api.nvim_get_current_win()
  vim.cmd(config.options.chat.split)
  local win = api.nvim_get_current_win()
  api.nvim_win_set_buf(win, bufnr)
  api.nvim_win_set_option(win, 'wrap', true)
  api.nvim_win_set_option(win, 'linebreak', true)
  api.nvim_set_current_win(previous)
  return win
end

local function write(bufnr, first, lines)
  api.nvim_buf_set_option(bufnr, 'modifiable', true)
  api.nvim_buf_set_lines(bufnr, first, -1, false, lines)
  api.nvim_buf_set_option(bufnr, 'modifiable', false)
  local last = api.nvim_buf_line_count(bufnr)
  for _, win in ipairs(api.nvim_list_wins()) do
    if api.nvim_win_get_buf(win) == bufnr then
      api.nvim_win_set_cursor(win, { last, 0 })
    end
  end
end

local function append(bufnr, lines)
  local count = api.nvim_buf_line_count(bufnr)
  local empty = count == 1 and api.nvim_buf_get_lines(bufnr, 0, 1, false)[1] == ''
  write(bufnr, empty and 0 or count, lines)
end

local function split(text)
  return vim.split((text:gsub('\r\n', '\n')), '\n', true)
end

local function relative(path)
  return vim.fn.fnamemodify(path, ':~:.')
end

--- Stops the answer being written.
function M.cancel()
  local running = conversation.running
  if running then
    conversation.running = nil
    server.cancel(running.client, running.id)
    server.close_stream(running.token)
    running.stop()
    if running.failed then
      running.failed()
    end
  end
end

-- Sends `method` with `params`, writing `heading` and then the answer as it streams; calls `done(result, text)`
-- with the answer, or `failed()` when there is none (an error, or stopped).
local function run(client, method, params, heading, done, failed)
  M.cancel()
  window()
  local bufnr = buffer()
  append(bufnr, heading)
  local first = api.nvim_buf_line_count(bufnr)
  write(bufnr, first, { '_…_' })
  local streamed, chunks = '', 0
  local token = server.open_stream(function(value)
    if type(value) == 'table' and type(value.text) == 'string' then
      streamed = streamed .. value.text
      chunks = chunks + 1
      write(bufnr, first, split(streamed))
    end
  end)
  params.partialResultToken = token
  local running = { client = client, token = token, failed = failed }
  -- Called by M.cancel while this answer is still the last thing in the split.
  running.stop = function()
    write(bufnr, first, vim.list_extend(split(streamed), { '', '_Stopped._', '' }))
  end
  local ok, id = server.request(client, method, params, function(err, result)
    server.close_stream(token)
    if conversation.running ~= running then
      -- Stopped: M.cancel has written so and dropped the question; what follows in the split is newer.
      return
    end
    conversation.running = nil
    local number = conversation.last and conversation.last.number + 1 or 1
    if err then
      conversation.last = { number = number, chunks = chunks, streamed = streamed, error = err.message }
      write(bufnr, first, vim.list_extend(split(streamed), { '', '**Error**: ' .. tostring(err.message), '' }))
      if failed then
        failed()
      end
      return
    end
    local text = type(result.text) == 'string' and result.text or streamed
    local lines = split(text)
    local references = result.references or {}
    conversation.last = { number = number, chunks = chunks, streamed = streamed, text = text, references = #references }
    if #references > 0 then
      local items = {}
      lines[#lines + 1] = ''
      lines[#lines + 1] = string.format('References (%d, in the quickfix list):', #references)
      for _, reference in ipairs(references) do
        local item = selection.quickfix_item(reference.uri, reference.range, reference.reason or '')
        items[#items + 1] = item
        lines[#lines + 1] = string.format('- %s:%d %s', relative(item.filename), item.lnum, item.text)
      end
      vim.fn.setqflist({}, ' ', { title = 'CodeAssist: ' .. heading[1]:gsub('^#+ ', ''), items = items })
    end
    lines[#lines + 1] = ''
    write(bufnr, first, lines)
    if done then
      done(result, text)
    end
  end, params.textDocument and vim.uri_to_bufnr(params.textDocument.uri) or nil)
  if ok then
    running.id = id
    conversation.running = running
  else
    server.close_stream(token)
    write(bufnr, first, { '**Error**: the server is not running.', '' })
    if failed then
      failed()
    end
  end
end

local function source_buffer(bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  if bufnr == chat_bufnr then
    return conversation.source
  end
  return bufnr
end

--- Asks `question` about the code, with `range` (LSP, optional) of buffer `bufnr` (default: the current one,
--- or the buffer of the conversation when asked from the chat split). `fresh` starts a new conversation.
function M.ask(bufnr, question, range, fresh)
  bufnr = source_buffer(bufnr)
  if not bufnr or not api.nvim_buf_is_valid(bufnr) then
    vim.notify('CodeAssist: open a file of the repository to ask about it', vim.log.levels.WARN)
    return
  end
  if fresh then
    conversation.messages = {}
  end
  conversation.source = bufnr
  server.with_client(bufnr, function(client)
    -- A question still being answered is dropped before this one joins the conversation.
    M.cancel()
    local asked = { role = 'user', content = question }
    table.insert(conversation.messages, asked)
    local params = { messages = vim.deepcopy(conversation.messages) }
    local about = ''
    if api.nvim_buf_get_name(bufnr) ~= '' then
      params.textDocument = { uri = vim.uri_from_bufnr(bufnr) }
      if range then
        params.range = range
        about = string.format(' _(lines %d–%d of %s)_', range.start.line + 1, range['end'].line + 1,
          relative(api.nvim_buf_get_name(bufnr)))
      end
    end
    run(client, 'codeassist/chat', params, { '## You', question .. about, '', '## CodeAssist' }, function(_, text)
      table.insert(conversation.messages, { role = 'assistant', content = text })
    end, function()
      -- A question without an answer (stopped, or an error) leaves the conversation.
      for index, message in ipairs(conversation.messages) do
        if message == asked then
          table.remove(conversation.messages, index)
          break
        end
      end
    end)
  end)
end

--- Explains `range` of buffer `bufnr` in the chat split.
function M.explain(bufnr, range)
  server.with_client(bufnr, function(client)
    local heading = string.format('## Explain %s, lines %d–%d', relative(api.nvim_buf_get_name(bufnr)),
      range.start.line + 1, range['end'].line + 1)
    run(client, 'codeassist/explain', { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, range = range }, { heading })
  end)
end

--- The conversation so far (for tests and statuslines): { messages, running, last }.
function M.state()
  return {
    messages = vim.deepcopy(conversation.messages),
    running = conversation.running ~= nil,
    last = conversation.last and vim.deepcopy(conversation.last),
  }
end

return M
