import { newCommentId } from '../../src/domain/ids';

describe('generated comment ids', () => {
  it('are cmt_ and 16 base64url characters, and differ across refills of the random pool', () => {
    const ids = Array.from({ length: 1000 }, () => newCommentId());
    for (const id of ids) expect(id).toMatch(/^cmt_[A-Za-z0-9_-]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
