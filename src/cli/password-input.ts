import type { ReadStream } from 'node:tty';

/**
 * The password for a new account, never from argv (shell history, `ps`): typed at a hidden
 * prompt on a terminal, else the first line of stdin (`printf '%s\n' "$PW" | decorum …`).
 */
export async function readPassword(input: NodeJS.ReadableStream, prompt: NodeJS.WritableStream): Promise<string> {
  const tty = input as Partial<ReadStream>;
  if (tty.isTTY && typeof tty.setRawMode === 'function') return promptHidden(tty as ReadStream, prompt);
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/, 1)[0];
}

function promptHidden(input: ReadStream, prompt: NodeJS.WritableStream): Promise<string> {
  prompt.write('Password (not shown): ');
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  let typed: string[] = [];
  return new Promise((resolve, reject) => {
    const done = (result: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      prompt.write('\n');
      result();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done(() => resolve(typed.join('')));
        if (ch === '\u0003') return done(() => reject(new Error('cancelled')));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed.push(ch);
      }
    };
    input.on('data', onData);
  });
}
