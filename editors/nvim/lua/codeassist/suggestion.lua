-- One inline completion item as the editor sees it: the text still to insert at the cursor, what the server's
-- `range` replaces after the cursor, and how much of the item is already in the buffer. Plain functions over
-- plain tables (no buffer access), so the rules for typing through, accepting a word or a line and laying out
-- ghost text are tested on their own.
local utf16 = require('codeassist.utf16')

local M = {}

-- A candidate:
--   item      the server's InlineCompletionItem
--   row, col  where the text still to insert starts (0-based row, byte column)
--   text      what is still to insert there
--   suffix    the buffer's text after the cursor that the item retypes and replaces (the server's range end)
--   consumed  bytes of the item's text already in the buffer (typed before it came, typed through, accepted)
--   crlf      whether the item's insertText ends its lines with CR LF (a CRLF document): the buffer holds lines
--             without the CR, so the text here has LF only, and accepted lengths count the CRs back in

local function completion_id(item)
  local command = item.command
  local argument = command and type(command.arguments) == 'table' and command.arguments[1]
  return type(argument) == 'table' and argument.completionId or nil
end

local function finished(text, suffix)
  return text == '' or text == suffix
end

--- The candidate for `item` on the cursor's line, or nil and why it cannot be shown there.
--- `line` is the cursor's line, `row` its 0-based number and `col` the cursor's byte column.
function M.from_item(item, line, row, col)
  local insert_text = item.insertText
  if type(insert_text) == 'table' then
    return nil, 'a snippet'
  end
  if type(insert_text) ~= 'string' then
    return nil, 'no insertText'
  end
  local crlf = insert_text:find('\r\n', 1, true) ~= nil
  insert_text = insert_text:gsub('\r\n', '\n')
  local start, finish = col, col
  local range = item.range
  if range ~= nil and range ~= vim.NIL then
    if range.start.line ~= row or range['end'].line ~= row then
      return nil, 'a range off the cursor line'
    end
    start = utf16.byte(line, range.start.character)
    finish = utf16.byte(line, range['end'].character)
    if start > col or finish < col then
      return nil, 'a range that does not contain the cursor'
    end
  end
  local typed = line:sub(start + 1, col)
  if insert_text:sub(1, #typed) ~= typed then
    return nil, 'text that does not continue what is typed'
  end
  local text = insert_text:sub(#typed + 1)
  local suffix = line:sub(col + 1, finish)
  if finished(text, suffix) then
    return nil, 'nothing left to insert'
  end
  return {
    item = item,
    id = completion_id(item),
    row = row,
    col = col,
    text = text,
    suffix = suffix,
    consumed = #typed,
    crlf = crlf,
  }
end

--- The candidate after the user typed `typed` at its cursor, when the suggestion starts with it; nil otherwise
--- or when nothing is left.
function M.type_through(candidate, typed)
  if typed == '' or typed:find('\n', 1, true) or candidate.text:sub(1, #typed) ~= typed then
    return nil
  end
  local text = candidate.text:sub(#typed + 1)
  if finished(text, candidate.suffix) then
    return nil
  end
  return vim.tbl_extend('force', candidate, {
    col = candidate.col + #typed,
    text = text,
    consumed = candidate.consumed + #typed,
  })
end

-- Bytes of UTF-8 text that continue a word: ASCII letters, digits, underscore and any non-ASCII character.
local word = '[%w_\128-\255]'

--- The next part of `text` that accepting a word ('word') or a line ('line') takes.
function M.piece(text, kind)
  if kind == 'line' then
    if text:sub(1, 1) == '\n' then
      return '\n' .. text:sub(2):match('^[^\n]*')
    end
    return text:match('^[^\n]*')
  end
  return text:match('^%s*' .. word .. '+')
    or text:match('^%s*[^%s\128-\255%w_]+')
    or text
end

--- UTF-16 length of the part of the item's insertText that is in the buffer after accepting `extra` bytes more.
function M.accepted_length(candidate, extra)
  local accepted = candidate.item.insertText:gsub('\r\n', '\n'):sub(1, candidate.consumed + extra)
  local _, line_breaks = accepted:gsub('\n', '')
  return utf16.units(accepted) + (candidate.crlf and line_breaks or 0)
end

local function split(text)
  return vim.split(text, '\n', true)
end

local function end_of(row, col, lines)
  if #lines == 1 then
    return row, col + #lines[1]
  end
  return row + #lines - 1, #lines[#lines]
end

--- The edit that accepts the whole candidate: { row, col, end_col, lines, cursor = { row, col } }.
function M.accept_all(candidate)
  local lines = split(candidate.text)
  local cursor_row, cursor_col = end_of(candidate.row, candidate.col, lines)
  return {
    row = candidate.row,
    col = candidate.col,
    end_col = candidate.col + #candidate.suffix,
    lines = lines,
    cursor = { cursor_row, cursor_col },
  }
end

--- The edit that accepts `piece` (the start of candidate.text) and the candidate left afterwards (nil when the
--- piece was all of it). Once the piece reaches into the text the item retypes, it overwrites that text.
function M.accept_piece(candidate, piece)
  local text, suffix = candidate.text, candidate.suffix
  local overlap = 0
  if #suffix > 0 and text:sub(-#suffix) == suffix then
    overlap = math.max(0, #piece - (#text - #suffix))
  end
  local lines = split(piece)
  local cursor_row, cursor_col = end_of(candidate.row, candidate.col, lines)
  local edit = {
    row = candidate.row,
    col = candidate.col,
    end_col = candidate.col + overlap,
    lines = lines,
    cursor = { cursor_row, cursor_col },
  }
  local rest = text:sub(#piece + 1)
  local rest_suffix = suffix:sub(overlap + 1)
  if finished(rest, rest_suffix) then
    return edit, nil
  end
  return edit, vim.tbl_extend('force', candidate, {
    row = cursor_row,
    col = cursor_col,
    text = rest,
    suffix = rest_suffix,
    consumed = candidate.consumed + #piece,
  })
end

-- Virtual text shows a tab as a single cell; expand tabs as the buffer would show them from display column `start`.
local function expand_tabs(text, start, tabstop)
  local out, column = {}, start
  for character in text:gmatch('[^\128-\191][\128-\191]*') do
    if character == '\t' then
      local width = tabstop - (column % tabstop)
      out[#out + 1] = string.rep(' ', width)
      column = column + width
    else
      out[#out + 1] = character
      column = column + vim.fn.strdisplaywidth(character)
    end
  end
  return table.concat(out)
end

--- How to draw the candidate on `line` (the buffer's current text of candidate.row): the extmark's column and
--- options. `inline` says whether this Neovim draws virtual text between characters (0.10+).
--- Inline text shows the suggestion where it will go and leaves the line's own text after it; elsewhere the
--- first line is drawn over the rest of the line, which then moves to the end of the last suggested line.
function M.layout(candidate, line, options)
  local hl, tabstop = options.hl, options.tabstop or 8
  local lines = split(candidate.text)
  local after = line:sub(candidate.col + 1)
  local tail = line:sub(candidate.col + #candidate.suffix + 1)
  local start_column = vim.fn.strdisplaywidth(line:sub(1, candidate.col))
  local virt_lines = {}
  for index = 2, #lines do
    virt_lines[#virt_lines + 1] = { { expand_tabs(lines[index], 0, tabstop), hl } }
  end
  local suffix = candidate.suffix
  local retypes = #suffix == 0 or candidate.text:sub(-#suffix) == suffix
  if options.inline and retypes and (#lines == 1 or after == '') then
    local shown = lines[1]
    if #lines == 1 then
      shown = shown:sub(1, #shown - #suffix)
    end
    return {
      col = candidate.col,
      virt_text = { { expand_tabs(shown, start_column, tabstop), hl } },
      virt_text_pos = 'inline',
      virt_lines = #virt_lines > 0 and virt_lines or nil,
    }
  end
  local first = expand_tabs(lines[1], start_column, tabstop)
  local virt_text = { { first, hl } }
  local shown_tail = expand_tabs(tail, start_column + vim.fn.strdisplaywidth(first), tabstop)
  if #lines == 1 then
    virt_text[2] = { shown_tail, 'Normal' }
  elseif tail ~= '' then
    local last = virt_lines[#virt_lines]
    last[#last + 1] = { expand_tabs(tail, vim.fn.strdisplaywidth(last[1][1]), tabstop), 'Normal' }
  end
  local drawn = vim.fn.strdisplaywidth(first) + (#lines == 1 and vim.fn.strdisplaywidth(shown_tail) or 0)
  local cover = vim.fn.strdisplaywidth(expand_tabs(after, start_column, tabstop)) - drawn
  if cover > 0 then
    virt_text[#virt_text + 1] = { string.rep(' ', cover), 'Normal' }
  end
  return {
    col = candidate.col,
    virt_text = virt_text,
    virt_text_pos = 'overlay',
    virt_lines = #virt_lines > 0 and virt_lines or nil,
  }
end

return M
