// The LSP text model on the client's side: what a document's text must be after a change, computed in
// JavaScript, whose strings are UTF-16 like LSP positions. The server reports each open document's length
// (UTF-16 code units) and line count, and the tests compare them with these.
//
// Rules (LSP 3.17, "Text Documents" and "Position"): lines end at \r\n, \r or \n; a character past a line's
// end means the line's end (before its line break); a line past the last means the end of the document;
// a position between the two halves of a surrogate pair means the pair's start.

/** Offsets where each line starts. */
export function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The number of lines the server reports: line breaks plus one. */
export function lineCount(text) {
  return lineStarts(text).length;
}

const isHigh = (code) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code) => code >= 0xdc00 && code <= 0xdfff;

export function offsetAt(text, { line, character }, starts = lineStarts(text)) {
  if (line >= starts.length) {
    return text.length;
  }
  const start = starts[line];
  let end = line + 1 < starts.length ? starts[line + 1] : text.length;
  if (end > start && text[end - 1] === '\n') end--;
  if (end > start && text[end - 1] === '\r') end--;
  let offset = start + Math.min(Math.max(character, 0), end - start);
  if (offset > start && offset < text.length && isLow(text.charCodeAt(offset)) && isHigh(text.charCodeAt(offset - 1))) {
    offset--;
  }
  return offset;
}

/** Applies one TextDocumentContentChangeEvent: a range edit, or the whole text when there is no range. */
export function applyChange(text, change) {
  if (!change.range) {
    return change.text;
  }
  const starts = lineStarts(text);
  const start = offsetAt(text, change.range.start, starts);
  const end = Math.max(start, offsetAt(text, change.range.end, starts));
  return text.slice(0, start) + change.text + text.slice(end);
}

export function applyChanges(text, changes) {
  return changes.reduce(applyChange, text);
}

export const range = (startLine, startCharacter, endLine, endCharacter) => ({
  start: { line: startLine, character: startCharacter },
  end: { line: endLine, character: endCharacter },
});

/** What codeassist/status reports for a document with this text. */
export function expectedStatus(uri, languageId, version, text) {
  return { uri, languageId, version, lines: lineCount(text), length: text.length };
}
