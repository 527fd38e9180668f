-- :CodeAssistStatus: what each running server reports through codeassist/status, in a few lines.
local server = require('codeassist.server')

local M = {}

local function value(x, fallback)
  if x == nil or x == vim.NIL then
    return fallback
  end
  return x
end

--- The lines that describe one server's status result.
function M.lines(root, status)
  local lines = { string.format('CodeAssist %s for %s (process %s)', value(status.version, '?'), root, value(status.processId, '?')) }
  local index = status.index or {}
  lines[#lines + 1] = string.format('  index: %s, %d files, %d lines', value(index.state, 'unknown'),
    value(index.filesIndexed, 0), value(index.lines, 0))
  local model = status.model or {}
  local model_line = string.format('  model: %s', value(model.state, 'none'))
  if value(model.name, nil) or value(model.path, nil) then
    model_line = model_line .. string.format(', %s', value(model.name, nil) or model.path)
  end
  if value(model.backend, nil) then
    model_line = model_line .. string.format(' (%s)', model.backend)
  end
  if value(model.error, nil) then
    model_line = model_line .. ': ' .. model.error
  end
  lines[#lines + 1] = model_line
  local completion = status.completion
  if type(completion) == 'table' then
    local state = value(completion.enabled, true) and 'on' or 'off'
    if value(completion.unavailable, nil) then
      state = 'unavailable: ' .. completion.unavailable
    end
    lines[#lines + 1] = string.format('  completions: %s; %d requested, %d shown, %d accepted, %d partly accepted',
      state, value(completion.requests, 0), value(completion.shown, 0), value(completion.accepted, 0),
      value(completion.partiallyAccepted, 0))
  end
  lines[#lines + 1] = string.format('  open documents: %d', #(status.openDocuments or {}))
  return lines
end

--- Calls `callback(reports)` with { root, status | error } for every running server.
function M.collect(callback)
  local clients = server.clients()
  local reports, pending = {}, #clients
  if pending == 0 then
    callback(reports)
    return
  end
  for index, entry in ipairs(clients) do
    server.when_ready(entry.client.id, function(client)
      server.request(client, 'codeassist/status', vim.empty_dict(), function(err, result)
        reports[index] = { root = entry.root, status = result, error = err and err.message }
        pending = pending - 1
        if pending == 0 then
          callback(reports)
        end
      end)
    end)
  end
end

--- Echoes every running server's status.
function M.show()
  M.collect(function(reports)
    local chunks = {}
    if #reports == 0 then
      chunks[1] = { 'CodeAssist is not running: open a file of a repository (:checkhealth codeassist)\n' }
    end
    for _, report in ipairs(reports) do
      if report.error then
        chunks[#chunks + 1] = { string.format('CodeAssist for %s: %s\n', report.root, report.error), 'ErrorMsg' }
      else
        chunks[#chunks + 1] = { table.concat(M.lines(report.root, report.status), '\n') .. '\n' }
      end
    end
    vim.api.nvim_echo(chunks, true, {})
  end)
end

return M
