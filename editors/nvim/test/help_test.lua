-- doc/codeassist.txt is a valid help file: its tags build without duplicates, every link to a codeassist tag
-- resolves, and :help finds the commands.
local t = require('harness')

local doc = t.repository() .. '/editors/nvim/doc/codeassist.txt'

test('helptags builds the tags without an error', function()
  local folder = vim.fn.tempname()
  vim.fn.mkdir(folder .. '/doc', 'p')
  vim.fn.writefile(vim.fn.readfile(doc), folder .. '/doc/codeassist.txt')
  vim.cmd('helptags ' .. vim.fn.fnameescape(folder .. '/doc'))
  local tags = vim.fn.readfile(folder .. '/doc/tags')
  t.ok(#tags >= 20, 'tags written (' .. #tags .. ')')
  vim.opt.runtimepath:prepend(folder)
  for _, tag in ipairs({ 'codeassist', 'codeassist-setup', ':CodeAssistChat', ':CodeAssistCommitMessage', 'hl-CodeAssistGhost' }) do
    vim.cmd('help ' .. tag)
    t.eq('help', vim.bo.buftype, ':help ' .. tag)
    vim.cmd('close')
  end
end)

test('every link to a codeassist tag names a tag of the file', function()
  local text = table.concat(vim.fn.readfile(doc), '\n')
  local defined = {}
  for tag in text:gmatch('%*([^%s*]+)%*') do
    defined[tag] = true
  end
  for link in text:gmatch('|([^%s|]+)|') do
    if link:lower():find('codeassist', 1, true) then
      t.ok(defined[link], 'a tag for |' .. link .. '|')
    end
  end
end)

test('every command and option the plugin has is documented', function()
  local text = table.concat(vim.fn.readfile(doc), '\n')
  for _, command in ipairs({ 'CodeAssistChat', 'CodeAssistExplain', 'CodeAssistDoc', 'CodeAssistTests',
    'CodeAssistTranslate', 'CodeAssistCommitMessage', 'CodeAssistStatus' }) do
    t.ok(text:find('*:' .. command .. '*', 1, true), command)
  end
  for option in pairs(require('codeassist.config').defaults) do
    t.ok(text:find('*codeassist-' .. option .. '*', 1, true) or option == 'skip_filetypes', 'option ' .. option)
  end
  for key in pairs(require('codeassist.config').defaults.keymaps) do
    t.ok(text:find(key .. ' = ', 1, true), 'keymap ' .. key)
  end
end)
