-- The options of require('codeassist').setup{}: defaults, the server command and the root of a buffer.
local M = {}

local uv = vim.loop

M.defaults = {
  -- The server command as a list; nil: the repository's built server when this plugin sits in a CodeAssist
  -- checkout, else `codeassist` on PATH.
  cmd = nil,
  -- Sent as initializationOptions and workspace/didChangeConfiguration (docs/protocol.md, "Settings").
  settings = {},
  -- Filetypes served; nil: every buffer of a file except the ones in `skip_filetypes`.
  filetypes = nil,
  skip_filetypes = { 'gitcommit', 'gitrebase', 'help', 'qf', 'netrw' },
  -- A buffer's root is the nearest folder above it that holds one of these; a glob matches files in it.
  root_markers = { '*.sln', '.git' },
  -- function(bufnr) -> folder, or nil to use root_markers.
  root_dir = nil,
  -- 'auto': Neovim's own inline completion on 0.12+, extmarks elsewhere; 'builtin'; 'extmarks'; false: none.
  ghost_text = 'auto',
  -- Insert-mode keys of the served buffers; false leaves a key alone. `accept` types its own key when no
  -- suggestion is shown.
  keymaps = {
    accept = '<Tab>',
    accept_word = '<M-w>',
    accept_line = '<M-l>',
    next = '<M-]>',
    previous = '<M-[>',
    dismiss = '<C-]>',
    trigger = '<M-\\>',
  },
  -- How the chat split opens.
  chat = { split = 'botright vsplit' },
}

M.options = vim.deepcopy(M.defaults)

--- A deep copy that, unlike vim.deepcopy on 0.7, keeps vim.NIL (a JSON null in settings).
function M.copy(value)
  if type(value) ~= 'table' then
    return value
  end
  local copy = {}
  for key, item in pairs(value) do
    copy[key] = M.copy(item)
  end
  return setmetatable(copy, getmetatable(value))
end

function M.set(options)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), options or {})
  -- Lists replace, they do not merge by index.
  for _, key in ipairs({ 'cmd', 'filetypes', 'skip_filetypes', 'root_markers' }) do
    if options and options[key] ~= nil then
      M.options[key] = options[key]
    end
  end
  return M.options
end

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

--- The checkout this plugin was loaded from, when it is one (editors/nvim/lua/codeassist/config.lua).
function M.repository()
  local source = debug.getinfo(1, 'S').source:sub(2)
  local root = vim.fn.fnamemodify(source, ':p:h:h:h:h:h')
  if exists(root .. '/src/CodeAssist.Server') then
    return root
  end
  return nil
end

--- The server command: the `cmd` option, the repository's build, or `codeassist` on PATH.
function M.command()
  if M.options.cmd then
    return M.options.cmd
  end
  local repository = M.repository()
  local dll = repository and repository .. '/src/CodeAssist.Server/bin/Release/net10.0/codeassist.dll'
  if dll and exists(dll) then
    return { 'dotnet', dll, 'serve', '--stdio' }
  end
  return { 'codeassist', 'serve', '--stdio' }
end

local function has_marker(folder, marker)
  if marker:find('[*?%[]') then
    return vim.fn.glob(folder .. '/' .. marker) ~= ''
  end
  return exists(folder .. '/' .. marker)
end

--- The nearest folder at or above `path` holding one of `markers`; nil when none does.
function M.find_root(path, markers)
  local folder = vim.fn.fnamemodify(path, ':p')
  if vim.fn.isdirectory(folder) == 0 then
    folder = vim.fn.fnamemodify(folder, ':h')
  end
  folder = folder:gsub('/$', '')
  while folder ~= '' do
    for _, marker in ipairs(markers) do
      if has_marker(folder, marker) then
        return folder
      end
    end
    local parent = vim.fn.fnamemodify(folder, ':h')
    if parent == folder then
      break
    end
    folder = parent
  end
  return nil
end

--- Whether the plugin serves buffer `bufnr`: a file buffer of a served filetype.
function M.serves(bufnr)
  if vim.api.nvim_buf_get_option(bufnr, 'buftype') ~= '' or vim.api.nvim_buf_get_name(bufnr) == '' then
    return false
  end
  local filetype = vim.api.nvim_buf_get_option(bufnr, 'filetype')
  if M.options.filetypes then
    return vim.tbl_contains(M.options.filetypes, filetype)
  end
  return filetype ~= '' and not vim.tbl_contains(M.options.skip_filetypes, filetype)
end

--- The root folder of buffer `bufnr`: the root_dir option's answer, the nearest marker, or the file's folder.
function M.root_of(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if M.options.root_dir then
    local root = M.options.root_dir(bufnr)
    if root then
      return (vim.fn.fnamemodify(root, ':p'):gsub('/$', ''))
    end
  end
  return M.find_root(name, M.options.root_markers) or vim.fn.fnamemodify(name, ':p:h')
end

return M
