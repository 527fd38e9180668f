-- :CodeAssistCommitMessage: the server writes a message for the staged changes (codeassist/commitMessage) and
-- it replaces the message part of the commit buffer, above git's comment lines. The client runs no git.
local config = require('codeassist.config')
local server = require('codeassist.server')

local M = {}

local api = vim.api

-- The last request's outcome, for statuslines and tests: { running, result, error }.
local outcome = { running = false }

function M.state()
  return vim.deepcopy(outcome)
end

--- The repository folder of buffer `bufnr`: for git's own files (.git/COMMIT_EDITMSG) the folder holding .git,
--- else the nearest folder with .git above the file, else the current directory.
function M.repository(bufnr)
  local name = api.nvim_buf_get_name(bufnr)
  if name == '' then
    return vim.fn.getcwd()
  end
  local git = name:find('/.git/', 1, true)
  if git then
    return name:sub(1, git - 1)
  end
  return config.find_root(name, { '.git' }) or vim.fn.fnamemodify(name, ':p:h')
end

-- The rows of the message: from the top to the first comment line (git's commentChar is '#' unless configured).
local function message_end(bufnr)
  local lines = api.nvim_buf_get_lines(bufnr, 0, -1, false)
  for index, line in ipairs(lines) do
    if line:sub(1, 1) == '#' then
      return index - 1, true
    end
  end
  return #lines, false
end

local function message_lines(subject, body)
  local lines = { subject or '' }
  if body and body ~= '' then
    lines[#lines + 1] = ''
    vim.list_extend(lines, vim.split((body:gsub('\r\n', '\n'):gsub('\n+$', '')), '\n', true))
  end
  return lines
end

--- Fills commit buffer `bufnr` (default: the current one) with a message for the staged changes.
function M.fill(bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  local repository = M.repository(bufnr)
  local last, comments = message_end(bufnr)
  local function replace(lines)
    if comments then
      lines = vim.list_extend(vim.deepcopy(lines), { '' })
    end
    api.nvim_buf_set_lines(bufnr, 0, last, false, lines)
    last = #lines
  end
  outcome = { running = true }
  server.with_client(bufnr, function(client)
    local streamed = ''
    local token = server.open_stream(function(value)
      if type(value) == 'table' and type(value.text) == 'string' and api.nvim_buf_is_valid(bufnr) then
        streamed = streamed .. value.text
        replace(vim.split(streamed, '\n', true))
      end
    end)
    api.nvim_echo({ { 'CodeAssist: writing a commit message…' } }, false, {})
    server.request(client, 'codeassist/commitMessage', { uri = vim.uri_from_fname(repository), partialResultToken = token }, function(err, result)
      server.close_stream(token)
      outcome = { running = false, result = result, error = err and err.message }
      if not api.nvim_buf_is_valid(bufnr) then
        return
      end
      if err then
        if streamed ~= '' then
          replace({ '' })
        end
        if err.code ~= -32800 then
          vim.notify('CodeAssist: no commit message: ' .. tostring(err.message), vim.log.levels.ERROR)
        end
        return
      end
      replace(message_lines(result.subject, result.body))
      local notes = result.notes or {}
      local summary = string.format('CodeAssist: message for the %s changes', result.source or 'staged')
      if #notes > 0 then
        summary = summary .. ' (' .. table.concat(notes, '; ') .. ')'
      end
      api.nvim_echo({ { summary } }, true, {})
    end, bufnr)
  end, repository)
end

return M
