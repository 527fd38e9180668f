-- Ghost text: inline completions shown after the cursor while typing, with keys to accept all of it, a word or
-- a line, to cycle and to dismiss. Neovim 0.12+ has this built in (vim.lsp.inline_completion, over
-- textDocument/inlineCompletion); elsewhere this module asks codeassist/inlineCompletion on every change, cancels
-- the request it supersedes, and draws the answer with extmarks.
local config = require('codeassist.config')
local server = require('codeassist.server')
local suggestion = require('codeassist.suggestion')
local utf16 = require('codeassist.utf16')

local M = {}

local api = vim.api
local namespace = api.nvim_create_namespace('codeassist.ghost')
local inline_virtual_text = vim.fn.has('nvim-0.10') == 1

M.namespace = namespace
M.AUTOMATIC = 2
M.INVOKED = 1

-- Buffer -> state of its ghost text (extmark implementation), owned by the main loop:
--   client_id   the client serving the buffer
--   request     the request in flight: { id, tick, row, col, kind, direction }
--   candidates  the current answer's items as candidates (suggestion.lua), index the one shown
--   current     the candidate on screen, drawn on `line` at changedtick `tick`
--   own_tick    the changedtick after this module's own edit (accepting), which is not the user typing
--   shown       completion ids of the current answer already reported with codeassist/didShowCompletion
local buffers = {}

--- 'builtin', 'extmarks' or false (none): how this Neovim shows ghost text with the current options.
function M.implementation()
  local choice = config.options.ghost_text
  if choice == 'auto' then
    return (vim.lsp.inline_completion and 'builtin') or 'extmarks'
  end
  return choice
end

local function cursor()
  local position = api.nvim_win_get_cursor(0)
  return position[1] - 1, position[2]
end

local function line_at(bufnr, row)
  return api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
end

local function hide(bufnr)
  api.nvim_buf_clear_namespace(bufnr, namespace, 0, -1)
  local state = buffers[bufnr]
  if state then
    state.current = nil
  end
end

local function cancel(bufnr)
  local state = buffers[bufnr]
  local request = state and state.request
  if not request then
    return
  end
  state.request = nil
  local client = vim.lsp.get_client_by_id(state.client_id)
  if client and request.id then
    server.cancel(client, request.id)
  end
end

local function render(bufnr, candidate)
  local state = buffers[bufnr]
  api.nvim_buf_clear_namespace(bufnr, namespace, 0, -1)
  local line = line_at(bufnr, candidate.row)
  local layout = suggestion.layout(candidate, line, {
    inline = inline_virtual_text,
    hl = 'CodeAssistGhost',
    tabstop = api.nvim_buf_get_option(bufnr, 'tabstop'),
  })
  api.nvim_buf_set_extmark(bufnr, namespace, candidate.row, layout.col, {
    virt_text = layout.virt_text,
    virt_text_pos = layout.virt_text_pos,
    virt_lines = layout.virt_lines,
    hl_mode = 'combine',
  })
  state.current = candidate
  state.line = line
  state.tick = api.nvim_buf_get_changedtick(bufnr)
  local client = vim.lsp.get_client_by_id(state.client_id)
  if client and candidate.id and not state.shown[candidate.id] then
    state.shown[candidate.id] = true
    server.notify(client, 'codeassist/didShowCompletion', { completionId = candidate.id })
  end
end

local function show(bufnr, index)
  local state = buffers[bufnr]
  state.index = index
  render(bufnr, state.candidates[index])
end

local function on_result(bufnr, request, err, result)
  local state = buffers[bufnr]
  if not state or state.request ~= request then
    return
  end
  state.request = nil
  if err then
    if err.code ~= -32800 then
      vim.notify_once('CodeAssist: inline completion failed: ' .. tostring(err.message), vim.log.levels.WARN)
    end
    return
  end
  local row, col = cursor()
  if api.nvim_get_current_buf() ~= bufnr or not api.nvim_get_mode().mode:match('^i')
    or api.nvim_buf_get_changedtick(bufnr) ~= request.tick or row ~= request.row or col ~= request.col then
    return
  end
  local items = result and (result.items or result) or {}
  local line = line_at(bufnr, row)
  local candidates, texts = {}, {}
  for _, item in ipairs(items) do
    local candidate = suggestion.from_item(item, line, row, col)
    if candidate and not texts[candidate.text] then
      texts[candidate.text] = true
      candidates[#candidates + 1] = candidate
    end
  end
  state.candidates = candidates
  state.shown = {}
  if #candidates == 0 then
    hide(bufnr)
    return
  end
  local index = 1
  if request.direction and #candidates > 1 then
    index = request.direction > 0 and 2 or #candidates
  end
  show(bufnr, index)
end

--- Asks for ghost text at the cursor: automatic (while typing, debounced by the server) or invoked.
function M.request(bufnr, kind, direction)
  local state = buffers[bufnr]
  if not state then
    return
  end
  cancel(bufnr)
  local client = vim.lsp.get_client_by_id(state.client_id)
  if not client then
    return
  end
  local row, col = cursor()
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = row, character = utf16.units(line_at(bufnr, row), col) },
    context = { triggerKind = kind },
  }
  local request = { tick = api.nvim_buf_get_changedtick(bufnr), row = row, col = col, kind = kind, direction = direction }
  state.request = request
  local ok, id = server.request(client, 'codeassist/inlineCompletion', params, function(err, result)
    on_result(bufnr, request, err, result)
  end, bufnr)
  if ok then
    request.id = id
  elseif state.request == request then
    state.request = nil
  end
end

local function on_change(bufnr)
  local state = buffers[bufnr]
  local tick = api.nvim_buf_get_changedtick(bufnr)
  if state.own_tick == tick then
    return
  end
  local current = state.current
  if current then
    local row, col = cursor()
    local line = line_at(bufnr, row)
    local before = state.line
    if row == current.row and col > current.col then
      local typed = line:sub(current.col + 1, col)
      if line == before:sub(1, current.col) .. typed .. before:sub(current.col + 1) then
        local advanced = suggestion.type_through(current, typed)
        if advanced then
          state.candidates = { advanced }
          show(bufnr, 1)
          return
        end
      end
    end
  end
  hide(bufnr)
  M.request(bufnr, M.AUTOMATIC)
end

local function on_move(bufnr)
  local state = buffers[bufnr]
  -- A move that comes with a change (typing) is on_change's; CursorMovedI runs before TextChangedI.
  if api.nvim_buf_get_changedtick(bufnr) ~= state.tick then
    return
  end
  local current = state.current
  local row, col = cursor()
  if current and (row ~= current.row or col ~= current.col) then
    cancel(bufnr)
    hide(bufnr)
  end
end

--- Whether ghost text is on screen in buffer `bufnr`.
function M.visible(bufnr)
  local state = buffers[bufnr or api.nvim_get_current_buf()]
  return state ~= nil and state.current ~= nil
end

--- The suggestion on screen: { text, id } (text still to insert), or nil.
function M.current(bufnr)
  local state = buffers[bufnr or api.nvim_get_current_buf()]
  local current = state and state.current
  return current and { text = current.text, id = current.id, row = current.row, col = current.col } or nil
end

local function apply(bufnr, edit)
  api.nvim_buf_set_text(bufnr, edit.row, edit.col, edit.row, edit.end_col, edit.lines)
  api.nvim_win_set_cursor(0, { edit.cursor[1] + 1, edit.cursor[2] })
end

local function accept_command(client, item)
  local command = item.command
  if client and type(command) == 'table' and command.command then
    server.request(client, 'workspace/executeCommand', { command = command.command, arguments = command.arguments }, function() end)
  end
end

--- Accepts the suggestion on screen: 'all', 'word' or 'line'. Returns false when there is none.
function M.accept(bufnr, kind)
  bufnr = bufnr or api.nvim_get_current_buf()
  if M.implementation() == 'builtin' then
    return M.builtin_accept(bufnr, kind)
  end
  local state = buffers[bufnr]
  local candidate = state and state.current
  if not candidate then
    return false
  end
  cancel(bufnr)
  local client = vim.lsp.get_client_by_id(state.client_id)
  local edit, rest, piece
  if kind == 'all' then
    edit = suggestion.accept_all(candidate)
  else
    piece = suggestion.piece(candidate.text, kind)
    edit, rest = suggestion.accept_piece(candidate, piece)
  end
  hide(bufnr)
  apply(bufnr, edit)
  state.own_tick = api.nvim_buf_get_changedtick(bufnr)
  if not rest then
    state.candidates = {}
    accept_command(client, candidate.item)
    -- The server may already be generating what follows the accepted text.
    M.request(bufnr, M.AUTOMATIC)
    return true
  end
  if client and candidate.id then
    server.notify(client, 'codeassist/didPartiallyAcceptCompletion', {
      completionId = candidate.id,
      acceptedLength = suggestion.accepted_length(candidate, #piece),
    })
  end
  state.candidates = { rest }
  show(bufnr, 1)
  return true
end

--- Shows the next (1) or previous (-1) candidate; with a single one, asks the server for more (invoked).
function M.cycle(bufnr, direction)
  bufnr = bufnr or api.nvim_get_current_buf()
  if M.implementation() == 'builtin' then
    vim.lsp.inline_completion.select({ bufnr = bufnr, count = direction })
    return
  end
  local state = buffers[bufnr]
  if not state then
    return
  end
  local count = #(state.candidates or {})
  if state.current and count > 1 then
    show(bufnr, (state.index - 1 + direction) % count + 1)
    return
  end
  M.request(bufnr, M.INVOKED, direction)
end

--- Hides the suggestion and stops asking until the next change.
function M.dismiss(bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  if M.implementation() == 'builtin' then
    vim.lsp.inline_completion.enable(false, { bufnr = bufnr })
    vim.lsp.inline_completion.enable(true, { bufnr = bufnr })
    return
  end
  if buffers[bufnr] then
    cancel(bufnr)
    hide(bufnr)
    buffers[bufnr].candidates = {}
  end
end

-- Neovim 0.12's own inline completion accepts whole items only; a word or a line is inserted here from the
-- item it hands over, and reported as a partial acceptance.
function M.builtin_accept(bufnr, kind)
  if kind == 'all' then
    return vim.lsp.inline_completion.get({
      bufnr = bufnr,
      on_accept = function(item)
        -- Lines of a CRLF document arrive with CR LF; the buffer's lines hold no CR.
        if type(item.insert_text) == 'string' then
          item.insert_text = item.insert_text:gsub('\r\n', '\n')
        end
        return item
      end,
    })
  end
  return vim.lsp.inline_completion.get({
    bufnr = bufnr,
    on_accept = function(item)
      local row, col = cursor()
      local line = line_at(bufnr, row)
      local range
      if item.range then
        local start_row, start_col, end_row, end_col = item.range:to_extmark()
        range = {
          start = { line = start_row, character = utf16.units(line, start_col) },
          ['end'] = { line = end_row, character = utf16.units(line, end_col) },
        }
      end
      local candidate = suggestion.from_item({ insertText = item.insert_text, range = range, command = item.command }, line, row, col)
      if not candidate then
        return nil
      end
      local piece = suggestion.piece(candidate.text, kind)
      local edit, rest = suggestion.accept_piece(candidate, piece)
      apply(bufnr, edit)
      local client = vim.lsp.get_client_by_id(item.client_id)
      if not rest then
        accept_command(client, candidate.item)
      elseif client and candidate.id then
        server.notify(client, 'codeassist/didPartiallyAcceptCompletion', {
          completionId = candidate.id,
          acceptedLength = suggestion.accepted_length(candidate, #piece),
        })
      end
      return nil
    end,
  })
end

local function map_keys(bufnr)
  local keys = config.options.keymaps or {}
  local function map(lhs, action, description)
    if lhs then
      vim.keymap.set('i', lhs, action, { buffer = bufnr, desc = 'CodeAssist: ' .. description })
    end
  end
  local accept_key = keys.accept
  map(accept_key, function()
    if not M.accept(bufnr, 'all') then
      api.nvim_feedkeys(api.nvim_replace_termcodes(accept_key, true, false, true), 'n', false)
    end
  end, 'accept the suggestion')
  map(keys.accept_word, function()
    M.accept(bufnr, 'word')
  end, 'accept a word of the suggestion')
  map(keys.accept_line, function()
    M.accept(bufnr, 'line')
  end, 'accept a line of the suggestion')
  map(keys.next, function()
    M.cycle(bufnr, 1)
  end, 'next suggestion')
  map(keys.previous, function()
    M.cycle(bufnr, -1)
  end, 'previous suggestion')
  map(keys.dismiss, function()
    M.dismiss(bufnr)
  end, 'dismiss the suggestion')
  if M.implementation() == 'extmarks' then
    map(keys.trigger, function()
      M.request(bufnr, M.INVOKED)
    end, 'ask for suggestions')
  end
end

--- Ghost text for buffer `bufnr`, served by `client`.
function M.attach(client, bufnr)
  local implementation = M.implementation()
  if not implementation then
    return
  end
  if implementation == 'builtin' then
    vim.lsp.inline_completion.enable(true, { bufnr = bufnr })
    map_keys(bufnr)
    return
  end
  if buffers[bufnr] then
    buffers[bufnr].client_id = client.id
    return
  end
  buffers[bufnr] = { client_id = client.id, candidates = {}, shown = {} }
  local group = api.nvim_create_augroup('codeassist.ghost.' .. bufnr, { clear = true })
  local function on(events, callback)
    api.nvim_create_autocmd(events, {
      group = group,
      buffer = bufnr,
      callback = function()
        if buffers[bufnr] then
          callback(bufnr)
        end
      end,
    })
  end
  on({ 'TextChangedI', 'TextChangedP' }, on_change)
  on('CursorMovedI', on_move)
  on({ 'InsertLeave', 'BufLeave' }, function()
    cancel(bufnr)
    hide(bufnr)
  end)
  api.nvim_create_autocmd({ 'BufUnload', 'BufWipeout' }, {
    group = group,
    buffer = bufnr,
    callback = function()
      buffers[bufnr] = nil
      api.nvim_del_augroup_by_id(group)
    end,
  })
  map_keys(bufnr)
end

return M
