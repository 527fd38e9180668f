-- :checkhealth codeassist — the Neovim version, the server command, the model setting and each running server.
local config = require('codeassist.config')
local ghost = require('codeassist.ghost')
local server = require('codeassist.server')
local status = require('codeassist.status')

local M = {}

-- vim.health.start/ok/... on 0.10+, require('health').report_* on 0.7.
local health = vim.health or require('health')
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local error = health.error or health.report_error
local info = health.info or health.report_info

local function check_neovim()
  start('Neovim')
  local version = vim.version()
  local text = string.format('%d.%d.%d', version.major, version.minor, version.patch)
  if vim.fn.has('nvim-0.7') == 1 then
    ok('Neovim ' .. text)
  else
    error('Neovim ' .. text .. ' is too old', { 'CodeAssist needs Neovim 0.7 or newer' })
  end
  local implementation = ghost.implementation()
  if implementation == 'builtin' then
    ok('ghost text: vim.lsp.inline_completion (Neovim 0.12+)')
  elseif implementation == 'extmarks' then
    ok('ghost text: extmarks, from codeassist/inlineCompletion')
  else
    info('ghost text: off (ghost_text = false)')
  end
end

local function check_server()
  start('Server')
  local command = config.command()
  info('command: ' .. table.concat(command, ' '))
  if vim.fn.executable(command[1]) == 1 then
    ok(command[1] .. ' is executable')
  else
    error(command[1] .. ' is not executable', {
      'Build the server: dotnet build src/CodeAssist.Server -c Release',
      "or set cmd: require('codeassist').setup{ cmd = { 'codeassist', 'serve', '--stdio' } }",
    })
  end
  if command[1] == 'dotnet' and command[2] then
    if vim.fn.filereadable(command[2]) == 1 then
      ok(command[2] .. ' exists')
    else
      error(command[2] .. ' does not exist', { 'dotnet build src/CodeAssist.Server -c Release' })
    end
  end
  local settings = config.options.settings or {}
  local model = settings.model
  if type(settings.remote) == 'table' then
    ok('remote model server: ' .. tostring(settings.remote.url))
  elseif type(model) == 'string' then
    local path = vim.fn.expand(model)
    if vim.fn.filereadable(path) == 1 then
      ok('model: ' .. path)
    else
      error('model: ' .. path .. ' cannot be read', { 'Point settings.model at a GGUF file' })
    end
  else
    warn('no model configured: completions and chat answer nothing', {
      "require('codeassist').setup{ settings = { model = '~/models/qwen2.5-coder-1.5b-q8_0.gguf' } }",
    })
  end
end

local function check_running()
  start('Running servers')
  local reports
  status.collect(function(collected)
    reports = collected
  end)
  vim.wait(5000, function()
    return reports ~= nil
  end, 20)
  if not reports then
    warn('a server did not answer codeassist/status within 5 seconds')
    return
  end
  if #reports == 0 then
    info('none yet: a server starts with the first file of a repository')
  end
  for _, report in ipairs(reports) do
    if report.error then
      error(report.root .. ': ' .. report.error)
    else
      local lines = status.lines(report.root, report.status)
      local model = report.status.model or {}
      if model.state == 'failed' then
        error(table.concat(lines, '\n'))
      else
        ok(table.concat(lines, '\n'))
      end
    end
  end
  if #server.clients() > 0 then
    info('server log: ' .. require('vim.lsp.log').get_filename())
  end
end

function M.check()
  check_neovim()
  check_server()
  check_running()
end

return M
