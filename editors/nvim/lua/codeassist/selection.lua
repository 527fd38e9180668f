-- The code a command is about: the range it was given (a visual selection, exact to the character, or whole
-- lines), or else the member at the cursor, which the server names through its code actions.
local server = require('codeassist.server')
local utf16 = require('codeassist.utf16')

local M = {}

local api = vim.api

local function line_at(bufnr, row)
  return api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
end

--- The LSP range (UTF-16) of lines `first`..`last` (1-based, inclusive) of buffer `bufnr`, or of the last visual
--- selection when it covered exactly those lines and was characterwise.
function M.from_lines(bufnr, first, last)
  local start_mark = api.nvim_buf_get_mark(bufnr, '<')
  local end_mark = api.nvim_buf_get_mark(bufnr, '>')
  if vim.fn.visualmode() == 'v' and start_mark[1] == first and end_mark[1] == last then
    local end_line = line_at(bufnr, last - 1)
    -- The '> mark points at the first byte of the last selected character; the range ends after it.
    local end_byte = math.min(#end_line, end_mark[2] + #(vim.fn.strcharpart(end_line:sub(end_mark[2] + 1), 0, 1)))
    return {
      start = { line = first - 1, character = utf16.units(line_at(bufnr, first - 1), start_mark[2]) },
      ['end'] = { line = last - 1, character = utf16.units(end_line, end_byte) },
    }
  end
  return {
    start = { line = first - 1, character = 0 },
    ['end'] = { line = last - 1, character = utf16.units(line_at(bufnr, last - 1)) },
  }
end

--- The range of a user command's call (`opts` as nvim_create_user_command passes it), or nil without one.
function M.from_command(bufnr, opts)
  if opts.range == 0 then
    return nil
  end
  return M.from_lines(bufnr, opts.line1, opts.line2)
end

--- Calls `callback(range)` with the range of the member at the cursor, as the server's code action for
--- `command` (codeassist.explain, …) gives it, or `callback(nil, why)`.
function M.member_at_cursor(client, bufnr, command, callback)
  local position = api.nvim_win_get_cursor(0)
  local row = position[1] - 1
  local character = utf16.units(line_at(bufnr, row), position[2])
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = row, character = character }, ['end'] = { line = row, character = character } },
    context = { diagnostics = {}, only = { 'refactor.codeassist' } },
  }
  server.request(client, 'textDocument/codeAction', params, function(err, actions)
    if err then
      callback(nil, err.message)
      return
    end
    for _, action in ipairs(actions or {}) do
      local action_command = action.command
      if type(action_command) == 'table' and action_command.command == command then
        local argument = action_command.arguments and action_command.arguments[1]
        if argument and argument.range then
          callback(argument.range)
          return
        end
      end
    end
    callback(nil, 'no member at the cursor: select the code first')
  end, bufnr)
end

--- Calls `callback(range)` with the command's range, or the member at the cursor when it has none.
function M.resolve(client, bufnr, opts, command, callback)
  local range = M.from_command(bufnr, opts)
  if range then
    callback(range)
    return
  end
  M.member_at_cursor(client, bufnr, command, function(member, why)
    if member then
      callback(member)
    else
      vim.notify('CodeAssist: ' .. why, vim.log.levels.WARN)
    end
  end)
end

--- A quickfix item for an LSP location, its column in bytes of the file's line.
function M.quickfix_item(uri, range, text)
  local filename = vim.uri_to_fname(uri)
  local row = range.start.line
  local line
  local bufnr = vim.fn.bufnr(filename)
  if bufnr ~= -1 and api.nvim_buf_is_loaded(bufnr) then
    line = line_at(bufnr, row)
  elseif vim.fn.filereadable(filename) == 1 then
    line = vim.fn.readfile(filename, '', row + 1)[row + 1] or ''
  else
    line = ''
  end
  return { filename = filename, lnum = row + 1, col = utf16.byte(line, range.start.character) + 1, text = text }
end

return M
