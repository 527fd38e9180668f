-- The language server processes: one per root folder, started on the first buffer of that root, with the
-- settings as initializationOptions. Also the one place that knows how Neovim's client API changed between
-- 0.7 (client.request, vim.lsp.start_client) and 0.11+ (client:request, vim.lsp.start).
local config = require('codeassist.config')

local M = {}

local modern = vim.fn.has('nvim-0.11') == 1

-- LSP language identifiers where Neovim's filetype differs.
M.language_ids = {
  cs = 'csharp',
  sh = 'shellscript',
  javascriptreact = 'javascriptreact',
  typescriptreact = 'typescriptreact',
  objc = 'objective-c',
  objcpp = 'objective-cpp',
}

-- Root folder -> client id, for the clients this plugin started.
local roots = {}
-- Client id -> true once the server answered `initialize`.
local initialized = {}
-- Client id -> functions waiting for `initialize` to be answered.
local waiting = {}
-- Partial result token -> function(value) that receives each `$/progress` value sent for it.
local streams = {}
local stream_count = 0

-- Called with (client, bufnr) when a served buffer attaches; set by init.lua.
M.on_attach = function() end

function M.request(client, method, params, handler, bufnr)
  if modern then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

function M.notify(client, method, params)
  if modern then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

function M.cancel(client, request_id)
  if modern then
    return client:cancel_request(request_id)
  end
  return client.cancel_request(request_id)
end

--- A token for partial results; `receive(value)` gets each `$/progress` value until `M.close_stream(token)`.
function M.open_stream(receive)
  stream_count = stream_count + 1
  local token = 'codeassist/partial/' .. stream_count
  streams[token] = receive
  return token
end

function M.close_stream(token)
  streams[token] = nil
end

local function progress(err, result, context, handler_config)
  local receive = result and streams[result.token]
  if receive then
    receive(result.value)
    return
  end
  return vim.lsp.handlers['$/progress'](err, result, context, handler_config)
end

local function settings_object(settings)
  return next(settings) == nil and vim.empty_dict() or settings
end

local function client_config(root)
  local settings = config.options.settings
  return {
    name = 'codeassist',
    cmd = config.command(),
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
    init_options = settings_object(settings),
    settings = { codeassist = settings_object(settings) },
    get_language_id = function(_, filetype)
      return M.language_ids[filetype] or filetype
    end,
    handlers = { ['$/progress'] = progress },
    on_init = function(client)
      initialized[client.id] = true
      local callbacks = waiting[client.id] or {}
      waiting[client.id] = nil
      for _, callback in ipairs(callbacks) do
        callback(client)
      end
    end,
    on_exit = function(code, signal, client_id)
      initialized[client_id] = nil
      waiting[client_id] = nil
      if roots[root] == client_id then
        roots[root] = nil
      end
      if code ~= 0 and vim.v.exiting == vim.NIL then
        vim.schedule(function()
          vim.notify(
            string.format('CodeAssist: the server for %s exited (code %d, signal %d); :checkhealth codeassist', root, code, signal),
            vim.log.levels.WARN
          )
        end)
      end
    end,
    on_attach = function(client, bufnr)
      M.on_attach(client, bufnr)
    end,
  }
end

local function running(root)
  local id = roots[root]
  return id and vim.lsp.get_client_by_id(id) or nil
end

--- Attaches buffer `bufnr` to the client of `root`, starting the server when none runs there. Returns the client
--- id, or nil and why the server could not start.
function M.attach(bufnr, root)
  if vim.api.nvim_buf_get_name(bufnr) == '' then
    return nil, 'this buffer is not a file: open a file of the repository'
  end
  root = root or config.root_of(bufnr)
  local client = running(root)
  if client then
    vim.lsp.buf_attach_client(bufnr, client.id)
    return client.id
  end
  local client_config_ = client_config(root)
  if vim.fn.executable(client_config_.cmd[1]) == 0 then
    return nil, string.format('%s is not executable (the cmd option: %s)', client_config_.cmd[1], table.concat(client_config_.cmd, ' '))
  end
  local id
  if modern then
    id = vim.lsp.start(client_config_, {
      bufnr = bufnr,
      reuse_client = function()
        return false
      end,
    })
  else
    id = vim.lsp.start_client(client_config_)
    if id then
      vim.lsp.buf_attach_client(bufnr, id)
    end
  end
  if not id then
    return nil, 'the server did not start: ' .. table.concat(client_config_.cmd, ' ')
  end
  roots[root] = id
  return id
end

--- Calls `callback(client)` once the client `id` is initialized (at once if it is).
function M.when_ready(id, callback)
  local client = vim.lsp.get_client_by_id(id)
  if not client then
    return
  end
  if initialized[id] then
    callback(client)
    return
  end
  waiting[id] = waiting[id] or {}
  table.insert(waiting[id], callback)
end

--- The client serving buffer `bufnr` (attached now if it was not), ready for requests, passed to `callback`;
--- reports why when there is none.
function M.with_client(bufnr, callback, root)
  local id, problem = M.attach(bufnr, root)
  if not id then
    vim.notify('CodeAssist: ' .. problem, vim.log.levels.ERROR)
    return
  end
  M.when_ready(id, callback)
end

--- The running clients, as { root = folder, client = client } sorted by root.
function M.clients()
  local list = {}
  for root, id in pairs(roots) do
    local client = vim.lsp.get_client_by_id(id)
    if client then
      list[#list + 1] = { root = root, client = client }
    end
  end
  table.sort(list, function(a, b)
    return a.root < b.root
  end)
  return list
end

--- New settings for every running server (workspace/didChangeConfiguration) and those started later.
function M.configure(settings)
  config.options.settings = settings
  for _, entry in ipairs(M.clients()) do
    entry.client.config.settings = { codeassist = settings_object(settings) }
    M.notify(entry.client, 'workspace/didChangeConfiguration', { settings = settings_object(settings) })
  end
end

return M
