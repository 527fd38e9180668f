-- UTF-16 columns against byte columns: ASCII, two- and three-byte characters, surrogate pairs.
local t = require('harness')
local utf16 = require('codeassist.utf16')

-- 'a' (1 byte, 1 unit), 'é' (2 bytes, 1 unit), '€' (3 bytes, 1 unit), '𝄞' (4 bytes, 2 units: a surrogate pair), 'b'.
local line = 'aé€𝄞b'

test('units count UTF-16 code units of a prefix', function()
  t.eq(0, utf16.units(line, 0))
  t.eq(1, utf16.units(line, 1))
  t.eq(2, utf16.units(line, 3))
  t.eq(3, utf16.units(line, 6))
  t.eq(5, utf16.units(line, 10))
  t.eq(6, utf16.units(line))
end)

test('a byte count inside a character stops before it', function()
  t.eq(1, utf16.units(line, 2), 'inside é')
  t.eq(3, utf16.units(line, 8), 'inside 𝄞')
end)

test('byte offsets of UTF-16 columns', function()
  t.eq(0, utf16.byte(line, 0))
  t.eq(1, utf16.byte(line, 1))
  t.eq(3, utf16.byte(line, 2))
  t.eq(6, utf16.byte(line, 3))
  t.eq(10, utf16.byte(line, 5))
  t.eq(11, utf16.byte(line, 6))
end)

test('a column inside a surrogate pair moves to its start, one past the end clamps', function()
  t.eq(6, utf16.byte(line, 4))
  t.eq(11, utf16.byte(line, 99))
  t.eq(0, utf16.byte('', 3))
end)

test('Neovim agrees at every character boundary', function()
  local function neovim_units(text, byte)
    if vim.fn.has('nvim-0.11') == 1 then
      return vim.str_utfindex(text, 'utf-16', byte)
    end
    local _, units = vim.str_utfindex(text, byte)
    return units
  end
  for _, byte in ipairs({ 0, 1, 3, 6, 10, 11 }) do
    t.eq(neovim_units(line, byte), utf16.units(line, byte), 'column of byte ' .. byte)
  end
end)

test('a stray continuation byte counts as one unit', function()
  local broken = 'a\128b'
  t.eq(3, utf16.units(broken))
  t.eq(2, utf16.byte(broken, 2))
end)
