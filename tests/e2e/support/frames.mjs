// Base-protocol frames, written and read byte for byte. The reader is strict on purpose: everything the
// server puts on stdout must be a well-formed frame holding one JSON-RPC 2.0 message, and anything else is
// recorded as a violation for the tests to assert on.

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A frame around a body: an object (serialized), a string (UTF-8) or raw bytes, with its true length unless one is given. */
export function frame(body, { contentLength } = {}) {
  const bytes = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  const length = contentLength ?? bytes.length;
  return Buffer.concat([Buffer.from(`Content-Length: ${length}\r\n\r\n`, 'ascii'), bytes]);
}

/** Checks a parsed body against JSON-RPC 2.0: a request, a notification or a response. Returns a problem or null. */
export function jsonRpcProblem(message) {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    return 'not a JSON object';
  }
  if (message.jsonrpc !== '2.0') {
    return 'jsonrpc is not "2.0"';
  }
  if (typeof message.method === 'string') {
    return 'id' in message && !['number', 'string'].includes(typeof message.id) ? 'request id is not a number or string' : null;
  }
  if (!('id' in message)) {
    return 'neither a request, a notification nor a response';
  }
  const hasResult = 'result' in message;
  const hasError = 'error' in message;
  if (hasResult === hasError) {
    return 'a response needs exactly one of result and error';
  }
  if (hasError && (typeof message.error?.code !== 'number' || typeof message.error?.message !== 'string')) {
    return 'error without a numeric code and a string message';
  }
  return null;
}

/**
 * Splits a byte stream into frames. `onMessage` gets each parsed message; `violations` collects every
 * departure from the protocol (a bad header, a body that is not UTF-8 JSON-RPC).
 */
export class StrictFrameReader {
  #buffer = Buffer.alloc(0);
  #onMessage;
  violations = [];

  constructor(onMessage = () => {}) {
    this.#onMessage = onMessage;
  }

  /** Bytes received but not yet a whole frame: after the server has gone quiet this should be empty. */
  get pendingBytes() {
    return this.#buffer.length;
  }

  push(chunk) {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    while (this.#buffer.length > 0 && this.violations.length === 0) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) {
        // Not a whole header yet: what there is must be the start of one.
        const start = this.#buffer.subarray(0, 8).toString('latin1').toLowerCase();
        if (!'content-'.startsWith(start) || this.#buffer.length > 1024) {
          this.#violation(`bytes that cannot start a header: ${JSON.stringify(this.#buffer.subarray(0, 80).toString('latin1'))}`);
        }
        return;
      }
      const header = this.#buffer.subarray(0, headerEnd).toString('latin1');
      let length = -1;
      for (const line of header.split('\r\n')) {
        const match = /^([A-Za-z-]+): ?(.*)$/.exec(line);
        if (!match) {
          this.#violation(`malformed header line ${JSON.stringify(line)}`);
          return;
        }
        if (match[1].toLowerCase() === 'content-length') {
          if (!/^\d+$/.test(match[2])) {
            this.#violation(`bad Content-Length ${JSON.stringify(match[2])}`);
            return;
          }
          length = Number(match[2]);
        } else if (match[1].toLowerCase() !== 'content-type') {
          this.#violation(`unknown header ${JSON.stringify(match[1])}`);
          return;
        }
      }
      if (length < 0) {
        this.#violation(`header without Content-Length: ${JSON.stringify(header)}`);
        return;
      }
      const start = headerEnd + 4;
      if (this.#buffer.length < start + length) {
        return;
      }
      const body = this.#buffer.subarray(start, start + length);
      this.#buffer = this.#buffer.subarray(start + length);
      let message;
      try {
        message = JSON.parse(utf8.decode(body));
      } catch (error) {
        this.#violation(`body is not UTF-8 JSON (${error.message}): ${JSON.stringify(body.subarray(0, 80).toString('latin1'))}`);
        return;
      }
      const problem = jsonRpcProblem(message);
      if (problem) {
        this.#violation(`${problem}: ${JSON.stringify(message).slice(0, 200)}`);
        return;
      }
      this.#onMessage(message);
    }
  }

  #violation(text) {
    this.violations.push(text);
  }
}
