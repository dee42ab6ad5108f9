import { PassThrough } from 'node:stream';
import { readPassword } from '../../src/cli/password-input';

/** A terminal in raw mode (the one thing here outside our control): keys arrive as typed, nothing echoes. */
function terminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, rawModes: [] as boolean[] });
  (input as unknown as { setRawMode: (on: boolean) => void }).setRawMode = (on: boolean) => void input.rawModes.push(on);
  const prompt = new PassThrough();
  let shown = '';
  prompt.on('data', (d) => (shown += d));
  return { input, prompt, shown: () => shown };
}

describe('the password of decorum moderator add', () => {
  it('is typed at a prompt on a terminal, unechoed, with backspace, and the terminal is put back', async () => {
    const t = terminal();
    const read = readPassword(t.input, t.prompt);
    t.input.write('correct horsx');
    t.input.write('\u007fe battery\r');
    expect(await read).toBe('correct horse battery');
    expect(t.shown()).toBe('Password (not shown): \n');
    expect(t.input.rawModes).toEqual([true, false]);
  });

  it('is cancelled by Ctrl-C', async () => {
    const t = terminal();
    const read = readPassword(t.input, t.prompt);
    t.input.write('half typ\u0003');
    await expect(read).rejects.toThrow('cancelled');
    expect(t.input.rawModes).toEqual([true, false]);
  });

  it('is the first line of stdin otherwise, and nothing is prompted', async () => {
    const input = new PassThrough();
    const prompt = new PassThrough();
    let shown = '';
    prompt.on('data', (d) => (shown += d));
    const read = readPassword(input, prompt);
    input.end('a password from a pipe\r\nsecond line\n');
    expect(await read).toBe('a password from a pipe');
    expect(shown).toBe('');
  });
});
