-- What the end-to-end tests share: the plugin set up against the built server (CODEASSIST_DLL) with the
-- random-weight test model (CODEASSIST_TEST_MODEL), opening files and asking the server directly.
local t = require('harness')

local M = {}

local api = vim.api
local modern = vim.fn.has('nvim-0.11') == 1

M.repository = t.repository()
M.samples = M.repository .. '/samples'

function M.dll()
  local dll = os.getenv('CODEASSIST_DLL')
  if dll and dll ~= '' then
    return vim.fn.fnamemodify(dll, ':p')
  end
  return M.repository .. '/src/CodeAssist.Server/bin/Release/net10.0/codeassist.dll'
end

--- The test model, or vim.NIL (no model) when CODEASSIST_TEST_MODEL is not set.
function M.model()
  local model = os.getenv('CODEASSIST_TEST_MODEL')
  return (model and model ~= '') and model or vim.NIL
end

--- require('codeassist').setup with the built server, an in-memory index and `overrides`.
function M.setup(overrides)
  local ghost_text = os.getenv('CODEASSIST_GHOST_TEXT')
  local options = vim.tbl_deep_extend('force', {
    cmd = { 'dotnet', M.dll(), 'serve', '--stdio' },
    settings = { indexCache = vim.NIL, model = M.model() },
    ghost_text = (ghost_text and ghost_text ~= '') and ghost_text or 'auto',
  }, overrides or {})
  require('codeassist').setup(options)
end

function M.clients(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr, name = 'codeassist' })
  end
  local clients = {}
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == 'codeassist' then
      clients[#clients + 1] = client
    end
  end
  return clients
end

--- Opens `path` (its text on disk: earlier edits to the buffer are dropped) and waits until its server has
--- answered `initialize`; returns the buffer and its client.
function M.open(path)
  vim.cmd('edit! ' .. vim.fn.fnameescape(path))
  local bufnr = api.nvim_get_current_buf()
  local client
  t.wait(60000, function()
    client = M.clients(bufnr)[1]
    return client ~= nil and client.initialized ~= false and (client.server_capabilities or client.resolved_capabilities) ~= nil
  end, 'the codeassist client of ' .. path)
  return bufnr, client
end

--- Sends `method` and waits for its answer (60 s guard); returns result, error.
function M.request(client, method, params, bufnr)
  local done, result, err = false, nil, nil
  local handler = function(e, r)
    done, result, err = true, r, e
  end
  if modern then
    client:request(method, params, handler, bufnr)
  else
    client.request(method, params, handler, bufnr)
  end
  t.wait(60000, function()
    return done
  end, method)
  return result, err
end

function M.status(client)
  local result, err = M.request(client, 'codeassist/status', vim.empty_dict())
  t.eq(nil, err, 'codeassist/status error')
  return result
end

--- The open document `uri` as the server's status reports it.
function M.server_document(client, uri)
  for _, document in ipairs(M.status(client).openDocuments or {}) do
    if document.uri == uri then
      return document
    end
  end
  return nil
end

--- A new folder under the system's temporary directory.
function M.temporary_folder(name)
  local folder = vim.fn.tempname() .. '-' .. name
  vim.fn.mkdir(folder, 'p')
  return vim.fn.resolve(folder)
end

function M.write_file(path, lines)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
  vim.fn.writefile(lines, path)
end

--- Runs a command (a list) and fails the test when it fails.
function M.run(command, cwd)
  local output = vim.fn.system(cwd and { 'sh', '-c', 'cd "$1" && shift && exec "$@"', 'sh', cwd, unpack(command) } or command)
  t.eq(0, vim.v.shell_error, table.concat(command, ' ') .. ' (' .. output .. ')')
  return output
end

--- Types `keys` (<> notation) as a user would, through Neovim's input queue: mappings apply and insert-mode
--- autocommands run. Plain characters go one at a time, a pause after each, as a person types.
function M.type(keys)
  local index = 1
  while index <= #keys do
    local key = keys:match('^<[^<>]+>', index) or vim.fn.strcharpart(keys:sub(index), 0, 1)
    api.nvim_input(key)
    index = index + #key
    t.sleep(30)
  end
  t.sleep(50)
end

return M
