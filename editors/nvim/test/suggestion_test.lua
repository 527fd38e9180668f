-- The rules of one suggestion: where the server's range puts it, typing through it, accepting a word or a line,
-- what counts as accepted (UTF-16) and how it is drawn.
local t = require('harness')
local suggestion = require('codeassist.suggestion')
local utf16 = require('codeassist.utf16')

local function item(text, start_character, end_character, row)
  row = row or 0
  local result = { insertText = text, command = { title = 'Accepted', command = 'codeassist.didAcceptCompletion', arguments = { { completionId = 'c1.0' } } } }
  if start_character then
    result.range = { start = { line = row, character = start_character }, ['end'] = { line = row, character = end_character } }
  end
  return result
end

test('an item without a range inserts at the cursor', function()
  local candidate = suggestion.from_item(item('Name;'), 'book.', 0, 5)
  t.eq('Name;', candidate.text)
  t.eq('', candidate.suffix)
  t.eq(0, candidate.consumed)
  t.eq('c1.0', candidate.id)
end)

test('a range that starts before the cursor continues the word typed', function()
  local line = '    var name = book.Au'
  local candidate = suggestion.from_item(item('Author.SortName;', 20, 22), line, 0, #line)
  t.eq('thor.SortName;', candidate.text)
  t.eq(2, candidate.consumed)
end)

test('an item that does not continue what is typed is not shown', function()
  local line = 'book.Ti'
  local candidate, why = suggestion.from_item(item('Author', 5, 7), line, 0, #line)
  t.eq(nil, candidate)
  t.eq('text that does not continue what is typed', why)
end)

test('a range past the cursor retypes what follows it', function()
  local line = 'Lend(member)'
  local candidate = suggestion.from_item(item('member, copy)', 5, 12), line, 0, 11)
  t.eq(', copy)', candidate.text)
  t.eq(')', candidate.suffix)
  local edit = suggestion.accept_all(candidate)
  t.eq({ row = 0, col = 11, end_col = 12, lines = { ', copy)' }, cursor = { 0, 18 } }, edit)
end)

test('ranges count UTF-16 units across a surrogate pair', function()
  -- 'var s = "𝄞' : the clef is 4 bytes and 2 UTF-16 units; the cursor is after 'ab'.
  local line = 'var s = "𝄞ab'
  local col = #line
  local start = utf16.units(line, #'var s = "𝄞')
  t.eq(11, start)
  local candidate = suggestion.from_item(item('abc";', start, start + 2), line, 0, col)
  t.eq('c";', candidate.text)
  t.eq(4, suggestion.accepted_length(candidate, #'c"'), 'ab typed before, c" accepted')
end)

test('a range on another line or not around the cursor is refused', function()
  t.eq(nil, (suggestion.from_item(item('x', 0, 0, 1), 'abc', 0, 3)))
  t.eq(nil, (suggestion.from_item(item('x', 3, 3), 'abcd', 0, 2)))
end)

test('nothing left to insert is not a suggestion', function()
  t.eq(nil, (suggestion.from_item(item('ab', 0, 2), 'ab', 0, 2)))
  t.eq(nil, (suggestion.from_item(item(')', 1, 2), '()', 0, 1)), 'only retypes the closing parenthesis')
end)

test('typing through keeps the rest of the suggestion', function()
  local candidate = suggestion.from_item(item('SortName;'), 'x.', 0, 2)
  local after = suggestion.type_through(candidate, 'So')
  t.eq('rtName;', after.text)
  t.eq(4, after.col)
  t.eq(2, after.consumed)
  t.eq(nil, suggestion.type_through(candidate, 'Sx'), 'a different character ends it')
  t.eq(nil, suggestion.type_through(candidate, 'SortName;'), 'typing all of it ends it')
end)

test('a word is the next run of word characters with the spaces before it', function()
  t.eq('Author', suggestion.piece('Author.Name', 'word'))
  t.eq('.', suggestion.piece('.Name', 'word'))
  t.eq(' copy', suggestion.piece(' copy)', 'word'))
  t.eq('\n    return', suggestion.piece('\n    return x;', 'word'))
  t.eq('résumé', suggestion.piece('résumé()', 'word'), 'non-ASCII letters are part of a word')
  t.eq('  ', suggestion.piece('  ', 'word'))
end)

test('a line is the rest of the current line, or the next line after a line break', function()
  t.eq('if (x)', suggestion.piece('if (x)\n{\n}', 'line'))
  t.eq('\n{', suggestion.piece('\n{\n}', 'line'))
end)

test('accepting pieces moves the suggestion and counts accepted UTF-16 units', function()
  local line = 'var é = '
  local candidate = suggestion.from_item(item('"𝄞" + x;\nreturn;'), line, 3, #line)
  local edit, rest = suggestion.accept_piece(candidate, suggestion.piece(candidate.text, 'word'))
  t.eq({ row = 3, col = #line, end_col = #line, lines = { '"' }, cursor = { 3, #line + 1 } }, edit)
  edit, rest = suggestion.accept_piece(rest, suggestion.piece(rest.text, 'word'))
  t.eq({ '𝄞' }, edit.lines, 'a non-ASCII character is a word')
  t.eq({ 3, #line + 5 }, edit.cursor)
  t.eq('" + x;\nreturn;', rest.text)
  t.eq(5, rest.consumed)
  t.eq(3, suggestion.accepted_length(candidate, 5), 'quote and surrogate pair')
  local line_edit, after_line = suggestion.accept_piece(rest, suggestion.piece(rest.text, 'line'))
  t.eq({ '" + x;' }, line_edit.lines)
  t.eq('\nreturn;', after_line.text)
  local last_edit, done = suggestion.accept_piece(after_line, suggestion.piece(after_line.text, 'line'))
  t.eq({ '', 'return;' }, last_edit.lines)
  t.eq({ 4, 7 }, last_edit.cursor)
  t.eq(nil, done, 'the last piece accepts the whole item')
end)

test('a piece that reaches the retyped text overwrites it', function()
  local line = 'f(x + y)'
  local function apply(edit)
    line = line:sub(1, edit.col) .. table.concat(edit.lines, '\n') .. line:sub(edit.end_col + 1)
  end
  local candidate = suggestion.from_item(item('a, x + y)', 2, 8), line, 0, 2)
  t.eq('x + y)', candidate.suffix)
  local edit, rest = suggestion.accept_piece(candidate, suggestion.piece(candidate.text, 'word'))
  apply(edit)
  t.eq('f(ax + y)', line)
  edit, rest = suggestion.accept_piece(rest, suggestion.piece(rest.text, 'word'))
  apply(edit)
  t.eq('f(a,x + y)', line)
  edit, rest = suggestion.accept_piece(rest, suggestion.piece(rest.text, 'word'))
  apply(edit)
  t.eq('f(a, x + y)', line, 'the x is retyped, not doubled')
  t.eq(nil, rest, 'what is left is already in the buffer')
end)

test('layout without inline virtual text draws over the rest of the line', function()
  local line = 'Lend(member)'
  local candidate = suggestion.from_item(item('member, copy)', 5, 12), line, 0, 11)
  local layout = suggestion.layout(candidate, line, { inline = false, hl = 'Ghost' })
  t.eq('overlay', layout.virt_text_pos)
  t.eq({ { ', copy)', 'Ghost' }, { '', 'Normal' } }, layout.virt_text)
  t.eq(nil, layout.virt_lines)
end)

test('layout with inline virtual text leaves the retyped text in place', function()
  local line = 'Lend(member)'
  local candidate = suggestion.from_item(item('member, copy)', 5, 12), line, 0, 11)
  local layout = suggestion.layout(candidate, line, { inline = true, hl = 'Ghost' })
  t.eq('inline', layout.virt_text_pos)
  t.eq({ { ', copy', 'Ghost' } }, layout.virt_text)
end)

test('a multi-line suggestion moves the rest of the line to its last line', function()
  local line = 'if (ok) rest'
  local candidate = suggestion.from_item(item('\n{\n\treturn;\n}'), line, 0, 8)
  local layout = suggestion.layout(candidate, line, { inline = true, hl = 'Ghost', tabstop = 4 })
  t.eq('overlay', layout.virt_text_pos)
  t.eq({ { '', 'Ghost' }, { '    ', 'Normal' } }, layout.virt_text, 'the rest of the line is covered')
  t.eq({ { { '{', 'Ghost' } }, { { '    return;', 'Ghost' } }, { { '}', 'Ghost' }, { 'rest', 'Normal' } } }, layout.virt_lines)
end)

test('an item of a CRLF document inserts lines without the CR and counts it when accepted', function()
  local candidate = suggestion.from_item(item('if (x)\r\n{\r\n}'), '', 0, 0)
  t.eq('if (x)\n{\n}', candidate.text)
  t.eq({ 'if (x)', '{', '}' }, suggestion.accept_all(candidate).lines)
  local piece = suggestion.piece(candidate.text, 'line')
  local _, rest = suggestion.accept_piece(candidate, piece)
  local second = suggestion.piece(rest.text, 'line')
  t.eq('\n{', second)
  t.eq(9, suggestion.accepted_length(rest, #second), 'if (x) CR LF {')
end)
