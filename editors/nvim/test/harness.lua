-- A small test runner inside the real editor: each test file registers tests with `test(name, fn)`, the runner
-- calls them in order, prints one line per test and a closing 'N passed, N failed' line, and exits non-zero when
-- one failed. Tests run in a coroutine that yields to Neovim's main loop while it waits, so keys given to
-- nvim_input are typed as a user types them (mappings, insert mode, TextChangedI) and server answers arrive.
-- Waits guard against hangs (a test that waits for the server fails after its limit); nothing asserts on time.
local M = { tests = {} }

local runner = nil

--- Lets the main loop run for `ms` milliseconds (typed keys, timers, server messages).
function M.sleep(ms)
  local co = coroutine.running()
  if co ~= runner then
    vim.wait(ms)
    return
  end
  vim.defer_fn(function()
    local ok, err = coroutine.resume(co)
    if not ok then
      error(err)
    end
  end, ms)
  coroutine.yield()
end

local function write(text)
  io.stdout:write(text)
  io.stdout:flush()
end

function M.test(name, fn)
  table.insert(M.tests, { name = name, fn = fn })
end

local function describe(value)
  return vim.inspect(value, { newline = ' ', indent = '' })
end

function M.eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    error(string.format('%s: expected %s, got %s', what or 'value', describe(expected), describe(actual)), 2)
  end
end

function M.ok(value, what)
  if not value then
    error((what or 'condition') .. ' does not hold', 2)
  end
  return value
end

--- Waits until `condition()` is true; fails with `what` when it is not within `limit_ms` (a hang guard).
function M.wait(limit_ms, condition, what)
  local waited = 0
  while not condition() do
    if waited >= limit_ms then
      error('gave up waiting (' .. limit_ms .. ' ms) for ' .. what, 2)
    end
    M.sleep(20)
    waited = waited + 20
  end
end

--- The repository root (this file is editors/nvim/test/harness.lua).
function M.repository()
  local source = debug.getinfo(1, 'S').source:sub(2)
  return vim.fn.fnamemodify(source, ':p:h:h:h:h')
end

--- Stops every LSP client and waits for the servers to exit.
function M.stop_servers()
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  for _, client in ipairs(get()) do
    if vim.fn.has('nvim-0.11') == 1 then
      client:stop()
    else
      client.stop()
    end
  end
  local waited = 0
  while #get() > 0 and waited < 15000 do
    M.sleep(50)
    waited = waited + 50
  end
end

local function finish(file, passed, failed)
  M.stop_servers()
  -- On a line of its own: Neovim's messages in headless mode end without a newline.
  write(string.format('\n%s: %d passed, %d failed\n', vim.fn.fnamemodify(file, ':t'), passed, failed))
  vim.cmd(failed == 0 and 'qall!' or 'cquit 1')
end

--- Whether test `name` runs: CODEASSIST_NVIM_ONLY, when set, lists parts of the names to run, separated by '|'.
function M.selected(name)
  local only = os.getenv('CODEASSIST_NVIM_ONLY')
  if not only or only == '' then
    return true
  end
  for part in vim.gsplit(only, '|', true) do
    if part ~= '' and name:find(part, 1, true) then
      return true
    end
  end
  return false
end

--- Runs the tests of `file` and exits Neovim.
function M.run(file)
  runner = coroutine.create(function()
    M.run_all(file)
  end)
  local ok, err = coroutine.resume(runner)
  if not ok then
    write('not ok - the runner failed: ' .. tostring(err) .. '\n')
    vim.cmd('cquit 1')
  end
end

function M.run_all(file)
  _G.test = M.test
  local loaded, problem = pcall(dofile, file)
  local passed, failed = 0, 0
  if not loaded then
    write(string.format('not ok - %s could not be loaded: %s\n', file, problem))
    failed = 1
  else
    local label = vim.fn.fnamemodify(file, ':t:r')
    for _, case in ipairs(M.tests) do
      if M.selected(case.name) then
        local started = vim.loop.hrtime()
        local ok, err = xpcall(case.fn, debug.traceback)
        local seconds = (vim.loop.hrtime() - started) / 1e9
        if ok then
          passed = passed + 1
          write(string.format('\nok - %s: %s (%.1f s)\n', label, case.name, seconds))
        else
          failed = failed + 1
          write(string.format('\nnot ok - %s: %s (%.1f s)\n  %s\n', label, case.name, seconds, tostring(err):gsub('\n', '\n  ')))
        end
      end
    end
  end
  finish(file, passed, failed)
end

return M
