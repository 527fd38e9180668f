-- LSP positions count UTF-16 code units; Neovim's columns count bytes of UTF-8. Every conversion between
-- the two goes through here. Written in plain Lua because vim.str_byteindex changed its signature in 0.11
-- and the client must behave the same on 0.7 and on 0.12.
local M = {}

-- The bytes of the UTF-8 sequence that starts with byte `lead`, and the UTF-16 code units it encodes.
-- A stray continuation byte or an invalid lead counts as one unit of its own, as Neovim displays it.
local function sequence(lead)
  if lead < 0x80 then
    return 1, 1
  elseif lead >= 0xF0 and lead < 0xF8 then
    return 4, 2
  elseif lead >= 0xE0 then
    return 3, 1
  elseif lead >= 0xC0 then
    return 2, 1
  end
  return 1, 1
end

--- UTF-16 code units of the first `byte_count` bytes of `text` (all of it when nil). A count that ends
--- inside a character stops before that character.
function M.units(text, byte_count)
  local limit = byte_count and math.min(byte_count, #text) or #text
  local units, index = 0, 1
  while index <= limit do
    local bytes, width = sequence(text:byte(index))
    if index + bytes - 1 > limit then
      break
    end
    units = units + width
    index = index + bytes
  end
  return units
end

--- The byte offset (0-based) of UTF-16 column `units` in `text`. Past the end it clamps to the end; a
--- column inside a surrogate pair moves to the pair's start, as the server does.
function M.byte(text, units)
  local count, index = 0, 1
  while index <= #text do
    local bytes, width = sequence(text:byte(index))
    if count + width > units then
      return index - 1
    end
    count = count + width
    index = index + bytes
  end
  return #text
end

return M
