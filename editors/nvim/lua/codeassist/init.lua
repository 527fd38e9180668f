-- CodeAssist for Neovim: starts `codeassist serve --stdio` per root folder for the buffers it serves and exposes
-- the server's features. A thin client: prompts, context and git belong to the server.
local config = require('codeassist.config')
local server = require('codeassist.server')

local M = {}

local api = vim.api

local function selection()
  return require('codeassist.selection')
end

-- Runs `action(bufnr, range)` on the command's range, or on the member at the cursor (the server's code action
-- for `command` says where it is).
local function on_range(opts, command, action)
  local bufnr = api.nvim_get_current_buf()
  server.with_client(bufnr, function(client)
    selection().resolve(client, bufnr, opts, command, function(range)
      action(bufnr, range)
    end)
  end)
end

-- What `codeassist.*` commands do when Neovim runs them (vim.lsp.buf.code_action): the same as the user commands,
-- shown this plugin's way rather than only on the server.
local function register_lsp_commands()
  local function arguments(command)
    local argument = command.arguments and command.arguments[1] or {}
    return vim.uri_to_bufnr(argument.textDocument.uri), argument.range, argument.language
  end
  vim.lsp.commands['codeassist.explain'] = function(command)
    local bufnr, range = arguments(command)
    require('codeassist.chat').explain(bufnr, range)
  end
  vim.lsp.commands['codeassist.document'] = function(command)
    local bufnr, range = arguments(command)
    require('codeassist.actions').document(bufnr, range, false)
  end
  vim.lsp.commands['codeassist.generateTests'] = function(command)
    local bufnr, range = arguments(command)
    require('codeassist.actions').generate_tests(bufnr, range)
  end
  vim.lsp.commands['codeassist.translate'] = function(command)
    local bufnr, range, language = arguments(command)
    local function translate(chosen)
      if chosen and chosen ~= '' then
        require('codeassist.actions').translate(bufnr, range, chosen)
      end
    end
    if language then
      translate(language)
    else
      vim.ui.input({ prompt = 'Translate to: ' }, translate)
    end
  end
end

local function languages()
  return vim.tbl_keys(require('codeassist.actions').filetypes)
end

local function create_commands()
  local command = api.nvim_create_user_command
  command('CodeAssistChat', function(opts)
    local bufnr = api.nvim_get_current_buf()
    local chat = require('codeassist.chat')
    local range = bufnr ~= chat.bufnr() and selection().from_command(bufnr, opts) or nil
    local function ask(question)
      if question and question ~= '' then
        chat.ask(bufnr, question, range, opts.bang)
      end
    end
    if opts.args ~= '' then
      ask(opts.args)
    else
      vim.ui.input({ prompt = 'Ask CodeAssist: ' }, ask)
    end
  end, { nargs = '*', range = true, bang = true, desc = 'Ask CodeAssist about the code (! starts a new conversation)' })
  command('CodeAssistExplain', function(opts)
    on_range(opts, 'codeassist.explain', require('codeassist.chat').explain)
  end, { range = true, desc = 'Explain the selection or the member at the cursor' })
  command('CodeAssistDoc', function(opts)
    on_range(opts, 'codeassist.document', function(bufnr, range)
      require('codeassist.actions').document(bufnr, range, opts.bang)
    end)
  end, { range = true, bang = true, desc = 'Add documentation comments (! replaces existing ones)' })
  command('CodeAssistTests', function(opts)
    on_range(opts, 'codeassist.generateTests', require('codeassist.actions').generate_tests)
  end, { range = true, desc = 'Generate tests for the selection or the member at the cursor' })
  command('CodeAssistTranslate', function(opts)
    on_range(opts, 'codeassist.translate', function(bufnr, range)
      require('codeassist.actions').translate(bufnr, range, opts.args)
    end)
  end, { range = true, nargs = 1, complete = languages, desc = 'Translate the selection into {language}' })
  command('CodeAssistCommitMessage', function()
    require('codeassist.commit').fill(api.nvim_get_current_buf())
  end, { desc = 'Write a commit message for the staged changes into this buffer' })
  command('CodeAssistStatus', function()
    require('codeassist.status').show()
  end, { desc = 'Show what each CodeAssist server reports' })
end

local function attach_if_served(bufnr)
  if config.serves(bufnr) then
    local id, problem = server.attach(bufnr)
    if not id then
      -- Scheduled: an error raised inside the FileType autocommand would abort the :edit that opened the file.
      vim.schedule(function()
        vim.notify_once('CodeAssist: ' .. problem, vim.log.levels.ERROR)
      end)
    end
  end
end

--- Starts CodeAssist with `options` (see :help codeassist-setup). Calling it again changes the options; new
--- settings reach the running servers through workspace/didChangeConfiguration.
function M.setup(options)
  local previous_settings = config.copy(config.options.settings)
  config.set(options)
  vim.cmd('highlight default link CodeAssistGhost Comment')
  server.on_attach = function(client, bufnr)
    if config.serves(bufnr) then
      require('codeassist.ghost').attach(client, bufnr)
    end
  end
  create_commands()
  register_lsp_commands()
  local group = api.nvim_create_augroup('codeassist', { clear = true })
  api.nvim_create_autocmd('FileType', {
    group = group,
    callback = function(args)
      attach_if_served(args.buf)
    end,
  })
  if not vim.deep_equal(previous_settings, config.options.settings) then
    server.configure(config.options.settings)
  end
  for _, bufnr in ipairs(api.nvim_list_bufs()) do
    if api.nvim_buf_is_loaded(bufnr) then
      attach_if_served(bufnr)
    end
  end
end

--- Changes the settings of every server (workspace/didChangeConfiguration) and of those started later.
function M.configure(settings)
  server.configure(settings)
end

return M
