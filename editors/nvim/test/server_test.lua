-- The plugin against the real server: one server per root, the settings forwarded, the buffer's text as the
-- server sees it (UTF-16, CRLF), :CodeAssistStatus and :checkhealth.
local t = require('harness')
local support = require('support')

local api = vim.api

support.setup({ settings = { exclude = { '**/Generated/**' }, logLevel = 'info' } })

local samples_file = support.samples .. '/src/Bookshelf.Services/LendingService.cs'

test('a C# file of samples/ starts a server for samples/, the folder of its solution', function()
  local bufnr, client = support.open(samples_file)
  local status = support.status(client)
  t.eq({ vim.uri_from_fname(support.samples) }, status.workspaceFolders)
  local document = support.server_document(client, vim.uri_from_bufnr(bufnr))
  t.ok(document, 'the server has the buffer open')
  t.eq('csharp', document.languageId)
  t.eq(api.nvim_buf_line_count(bufnr) + 1, document.lines, 'lines, counting the one after the final newline')
end)

test('the settings arrive as initializationOptions', function()
  local _, client = support.open(samples_file)
  local settings = support.status(client).settings
  t.eq({ '**/Generated/**' }, settings.exclude)
  t.eq('info', settings.logLevel)
  t.eq(nil, settings.indexCache, 'indexCache null keeps the index in memory')
end)

test('a second file of the same root shares its server; another root gets its own', function()
  local _, first = support.open(samples_file)
  local _, second = support.open(support.samples .. '/src/Bookshelf.Core/Book.cs')
  t.eq(first.id, second.id)
  local other = support.temporary_folder('other-root')
  support.write_file(other .. '/Other.sln', { '' })
  support.write_file(other .. '/src/Thing.cs', { 'namespace Other;', 'public sealed class Thing { }' })
  local _, third = support.open(other .. '/src/Thing.cs')
  t.ok(third.id ~= first.id, 'a separate client')
  t.eq({ vim.uri_from_fname(other) }, support.status(third).workspaceFolders)
  t.eq(2, #require('codeassist.server').clients())
end)

test('require("codeassist").configure changes the settings of running servers', function()
  local _, client = support.open(samples_file)
  require('codeassist').configure({ exclude = { 'secrets/**' }, indexCache = vim.NIL, model = support.model() })
  t.wait(30000, function()
    return vim.deep_equal({ 'secrets/**' }, support.status(client).settings.exclude)
  end, 'the new exclude setting in codeassist/status')
end)

test('edits reach the server in UTF-16 units, surrogate pairs and CRLF included', function()
  local folder = support.temporary_folder('crlf')
  support.write_file(folder .. '/Crlf.sln', { '' })
  local path = folder .. '/Crlf.cs'
  vim.fn.writefile({ 'class Crlf\r', '{\r', '    // clef: \r', '}\r', '' }, path, 'b')
  local bufnr, client = support.open(path)
  t.eq('dos', api.nvim_buf_get_option(bufnr, 'fileformat'))
  api.nvim_win_set_cursor(0, { 3, 0 })
  support.type('Aa𝄞é b<Esc>')
  local text = table.concat(api.nvim_buf_get_lines(bufnr, 0, -1, false), '\r\n') .. '\r\n'
  t.eq('    // clef: a𝄞é b', api.nvim_buf_get_lines(bufnr, 2, 3, false)[1])
  local utf16 = require('codeassist.utf16')
  t.wait(30000, function()
    local document = support.server_document(client, vim.uri_from_bufnr(bufnr))
    return document and document.length == utf16.units(text)
  end, 'the server to hold the edited text (' .. utf16.units(text) .. ' UTF-16 units)')
end)

test(':CodeAssistStatus reports each server', function()
  support.open(samples_file)
  local reports
  require('codeassist.status').collect(function(collected)
    reports = collected
  end)
  t.wait(30000, function()
    return reports ~= nil
  end, 'the status of every server')
  t.ok(#reports >= 1, 'a report')
  local lines = require('codeassist.status').lines(reports[1].root, reports[1].status)
  t.ok(lines[1]:find('CodeAssist ', 1, true), 'a title line: ' .. lines[1])
  t.ok(lines[2]:match('^  index: %a+, %d+ files'), 'an index line: ' .. lines[2])
  vim.cmd('CodeAssistStatus')
end)

test(':checkhealth codeassist checks the command and the running servers', function()
  support.open(samples_file)
  vim.cmd('checkhealth codeassist')
  local text = table.concat(api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  t.ok(text:find('dotnet is executable', 1, true), 'the command is checked:\n' .. text)
  t.ok(text:find('codeassist.dll exists', 1, true), 'the built server is found')
  t.ok(text:find('index: ', 1, true), 'a running server reports its index')
  t.ok(not text:find('ERROR', 1, true) or support.model() == vim.NIL, 'no error with a model configured:\n' .. text)
  vim.cmd('bwipeout')
end)

test('a server command that does not exist is reported, and the editor carries on', function()
  local config = require('codeassist.config')
  local saved = config.options.cmd
  config.options.cmd = { '/nonexistent/codeassist', 'serve', '--stdio' }
  local folder = support.temporary_folder('no-server')
  support.write_file(folder .. '/A.sln', { '' })
  support.write_file(folder .. '/A.cs', { 'class A { }' })
  vim.cmd('edit ' .. folder .. '/A.cs')
  local id, problem = require('codeassist.server').attach(api.nvim_get_current_buf())
  config.options.cmd = saved
  t.eq(nil, id)
  t.ok(problem:find('/nonexistent/codeassist is not executable', 1, true), problem)
  t.eq(0, #support.clients(api.nvim_get_current_buf()))
end)

test('a buffer that is not a file gets no server, and says so', function()
  vim.cmd('enew')
  local id, problem = require('codeassist.server').attach(api.nvim_get_current_buf())
  t.eq(nil, id)
  t.eq('this buffer is not a file: open a file of the repository', problem)
  vim.cmd('bwipeout!')
end)
