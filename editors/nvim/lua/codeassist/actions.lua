-- Documentation comments, generated tests and translations of a range: each asks the server, then applies the
-- edit it returns (documentation, tests) or opens the text in a new buffer (translation).
local server = require('codeassist.server')

local M = {}

local api = vim.api

-- The last request's outcome, for statuslines and tests: { number, what, running, result, error }; `number`
-- counts the requests sent.
local outcome = { number = 0, running = false }

function M.state()
  return vim.deepcopy(outcome)
end

-- Neovim filetypes of the server's language names, for translated text.
M.filetypes = {
  csharp = 'cs',
  python = 'python',
  typescript = 'typescript',
  javascript = 'javascript',
  java = 'java',
  go = 'go',
  cpp = 'cpp',
  c = 'c',
  rust = 'rust',
  kotlin = 'kotlin',
  swift = 'swift',
  ruby = 'ruby',
  php = 'php',
  lua = 'lua',
  fsharp = 'fsharp',
}

-- `history`: whether the message stays in :messages (results do, progress does not).
local function echo(message, history)
  api.nvim_echo({ { 'CodeAssist: ' .. message } }, history ~= false, {})
end

local function failed(what, err)
  if err.code ~= -32800 then
    vim.notify(string.format('CodeAssist: %s failed: %s', what, tostring(err.message)), vim.log.levels.ERROR)
  end
end

-- Sends a long request, showing how much the model has written while it streams (at most once a second).
local function long_request(client, bufnr, method, params, what, handler)
  local received, shown_at = 0, vim.loop.now()
  local token = server.open_stream(function(value)
    if type(value) == 'table' and type(value.text) == 'string' then
      received = received + #value.text
      if vim.loop.now() - shown_at >= 1000 then
        shown_at = vim.loop.now()
        echo(string.format('%s… (%d characters)', what, received), false)
      end
    end
  end)
  params.partialResultToken = token
  echo(what .. '…', false)
  local number = outcome.number + 1
  outcome = { number = number, what = what, running = true }
  server.request(client, method, params, function(err, result)
    server.close_stream(token)
    if err then
      outcome = { number = number, what = what, running = false, error = err.message }
      failed(what, err)
      return
    end
    handler(result)
    outcome = { number = number, what = what, running = false, result = result }
  end, bufnr)
end

local function document_params(bufnr, range)
  return { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, range = range }
end

local function diagnostics_text(diagnostics)
  local lines = {}
  for _, diagnostic in ipairs(diagnostics or {}) do
    lines[#lines + 1] = type(diagnostic) == 'table' and (diagnostic.message or vim.inspect(diagnostic)) or tostring(diagnostic)
  end
  return table.concat(lines, '\n')
end

--- Adds documentation comments to the members in `range` of buffer `bufnr`; `overwrite` replaces existing ones.
function M.document(bufnr, range, overwrite)
  server.with_client(bufnr, function(client)
    local params = document_params(bufnr, range)
    params.overwrite = overwrite == true
    long_request(client, bufnr, 'codeassist/document', params, 'documenting', function(result)
      if result.edit then
        vim.lsp.util.apply_workspace_edit(result.edit, 'utf-16')
      end
      local documented = result.documented or {}
      local skipped = type(result.skipped) == 'table' and result.skipped or {}
      if #documented == 0 then
        local why = #skipped > 0 and table.concat(skipped, '; ') or 'members already documented are left alone; :CodeAssistDoc! replaces'
        echo('nothing documented (' .. why .. ')')
      else
        echo('documented ' .. table.concat(documented, ', '))
      end
    end)
  end)
end

--- Generates tests for `range` of buffer `bufnr`, writes them where the server says and opens them.
function M.generate_tests(bufnr, range)
  server.with_client(bufnr, function(client)
    long_request(client, bufnr, 'codeassist/generateTests', document_params(bufnr, range), 'writing tests', function(result)
      if result.edit then
        vim.lsp.util.apply_workspace_edit(result.edit, 'utf-16')
      end
      if result.uri then
        vim.cmd('split ' .. vim.fn.fnameescape(vim.uri_to_fname(result.uri)))
      end
      local framework = result.framework and (' (' .. result.framework .. ')') or ''
      if result.compiles == false then
        vim.notify(string.format('CodeAssist: the tests%s do not compile after %d rounds:\n%s', framework,
          result.rounds or 0, diagnostics_text(result.diagnostics)), vim.log.levels.WARN)
      else
        echo('tests written' .. framework)
      end
    end)
  end)
end

--- Translates `range` of buffer `bufnr` into `language` and opens the result in a new buffer.
function M.translate(bufnr, range, language)
  server.with_client(bufnr, function(client)
    local params = document_params(bufnr, range)
    params.language = language
    long_request(client, bufnr, 'codeassist/translate', params, 'translating to ' .. language, function(result)
      vim.cmd('vnew')
      local target = api.nvim_get_current_buf()
      api.nvim_buf_set_option(target, 'buftype', 'nofile')
      api.nvim_buf_set_option(target, 'bufhidden', 'wipe')
      api.nvim_buf_set_lines(target, 0, -1, false, vim.split(((result.text or ''):gsub('\r\n', '\n')), '\n', true))
      api.nvim_buf_set_option(target, 'filetype', M.filetypes[result.language or language] or result.language or language)
      if result.compiles == false then
        vim.notify('CodeAssist: the translation does not compile:\n' .. diagnostics_text(result.diagnostics), vim.log.levels.WARN)
      else
        echo('translated to ' .. (result.language or language))
      end
    end)
  end)
end

return M
