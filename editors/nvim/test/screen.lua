-- The screen of a real Neovim with the plugin, as text: a child Neovim runs in a terminal buffer of the test's
-- Neovim, which reads the terminal's lines. Used to show in the README what ghost text looks like.
local t = require('harness')

local M = {}

local api = vim.api

local function screen_lines(bufnr)
  local lines = api.nvim_buf_get_lines(bufnr, 0, -1, false)
  for index, line in ipairs(lines) do
    lines[index] = line:gsub('%s+$', '')
  end
  return lines
end

local function on_screen(bufnr, text)
  for _, line in ipairs(screen_lines(bufnr)) do
    if line:find(text, 1, true) then
      return line
    end
  end
  return nil
end

--- Opens `path` at line `line` in a child Neovim set up as the tests are, waits for its model, types `keys`, and
--- returns the screen once the typed line has more on it than was typed (the ghost text).
function M.capture(path, line, keys)
  local repository = t.repository()
  local init = vim.fn.tempname() .. '.lua'
  -- The child says its model is ready in a file: a message on its screen can be overwritten before it is read.
  local ready_file = vim.fn.tempname() .. '.ready'
  vim.fn.writefile({
    string.format('vim.opt.runtimepath:prepend(%q)', repository .. '/editors/nvim'),
    string.format('package.path = %q .. package.path', repository .. '/editors/nvim/test/?.lua;'),
    'vim.opt.showmode = false',
    -- A swap file left by an earlier Neovim that was killed must not stop the child at its question.
    'vim.opt.shortmess:append("A")',
    'vim.opt.expandtab = true',
    'vim.cmd("filetype on")',
    'vim.cmd("syntax on")',
    'require("support").setup()',
    string.format('vim.cmd("edit " .. vim.fn.fnameescape(%q))', path),
    string.format('vim.api.nvim_win_set_cursor(0, { %d, 0 })', line),
    'local ready = false',
    'local function check()',
    '  for _, client in ipairs(require("codeassist.server").clients()) do',
    '    require("codeassist.server").request(client.client, "codeassist/status", vim.empty_dict(), function(_, status)',
    '      if status and status.model and status.model.state == "ready" then',
    '        ready = true',
    string.format('        vim.fn.writefile({ "ready" }, %q)', ready_file),
    '      end',
    '    end)',
    '  end',
    '  if not ready then vim.defer_fn(check, 200) end',
    'end',
    'vim.defer_fn(check, 200)',
  }, init)
  -- Wide enough for a line of code and its suggestion.
  vim.o.columns, vim.o.lines = 120, 24
  local bufnr = api.nvim_create_buf(false, true)
  api.nvim_set_current_buf(bufnr)
  local job = vim.fn.termopen({ vim.v.progpath, '-u', init, '-i', 'NONE', '-n' }, { env = { TERM = 'xterm-256color' } })
  t.wait(120000, function()
    return vim.fn.filereadable(ready_file) == 1
  end, 'the child Neovim and its model')
  vim.fn.delete(ready_file)
  vim.fn.chansend(job, keys)
  local typed = keys:gsub('^o', '')
  t.wait(90000, function()
    local shown = on_screen(bufnr, typed)
    local _, stop = (shown or ''):find(typed, 1, true)
    return stop ~= nil and shown:sub(stop + 1):match('%S') ~= nil
  end, 'ghost text on the child\'s screen')
  local lines = screen_lines(bufnr)
  vim.fn.chansend(job, '\27:qa!\r')
  t.wait(30000, function()
    return vim.fn.jobwait({ job }, 0)[1] ~= -1
  end, 'the child Neovim to exit')
  api.nvim_buf_delete(bufnr, { force = true })
  return lines
end

return M
