// A later phase's records go as soon as what they need is settled, held ones once the earlier phases end.
import { readyFirst, Upstream } from '../../service/src/export/readyFirst';

function pagesOf<T>(pages: T[][]): { pages: AsyncGenerator<T[]>; reads: () => number } {
  let reads = 0;
  async function* gen(): AsyncGenerator<T[]> {
    for (const page of pages) {
      reads++;
      yield page;
    }
  }
  return { pages: gen(), reads: () => reads };
}

/** Lets the generator run until it waits on something outside it. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** The promise's value if it has resolved by now, else 'pending'. */
async function peek<T>(p: Promise<T>): Promise<T | 'pending'> {
  await settle();
  return Promise.race([p, Promise.resolve('pending' as const)]);
}

describe('ready first', () => {
  it('when some records are settled while the earlier phases run, then they go at once, and the rest once enough settled or those phases ended', async () => {
    const upstream = new Upstream();
    const settled = new Set([1, 2, 3]);
    const source = pagesOf([
      [1, 2, 3, 4],
      [5, 6, 7],
    ]);
    const it = readyFirst(
      source.pages,
      (n: number) => settled.has(n),
      upstream,
      () => false,
      { hold: 10, least: 2 },
    );
    expect(await it.next()).toEqual({ done: false, value: [1, 2, 3] });

    const next = it.next();
    expect(await peek(next)).toBe('pending'); // 4, 5, 6, 7 wait for their dependencies
    settled.add(6);
    upstream.moved();
    expect(await peek(next)).toBe('pending'); // one alone is fewer than `least`
    settled.add(5);
    upstream.moved();
    expect(await next).toEqual({ done: false, value: [5, 6] });

    const rest = it.next();
    expect(await peek(rest)).toBe('pending');
    upstream.end();
    expect(await rest).toEqual({ done: false, value: [4, 7] });
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('when nothing is settled yet, then it reads no further ahead than it may hold, and everything goes in order once the earlier phases end', async () => {
    const upstream = new Upstream();
    const source = pagesOf([[1, 2], [3, 4], [5, 6], [7]]);
    const it = readyFirst(
      source.pages,
      () => false,
      upstream,
      () => false,
      { hold: 3, least: 1 },
    );
    const first = it.next();
    expect(await peek(first)).toBe('pending');
    expect(source.reads()).toBe(2);
    upstream.end();
    expect(await first).toEqual({ done: false, value: [1, 2, 3, 4] });
    const after: number[][] = [];
    for await (const page of it) after.push(page);
    expect(after).toEqual([[5, 6], [7]]);
  });

  it('when an earlier phase failed, then nothing held goes and the pages are not read further', async () => {
    const upstream = new Upstream();
    let stopped = false;
    const source = pagesOf([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const it = readyFirst(
      source.pages,
      () => false,
      upstream,
      () => stopped,
      { hold: 2, least: 1 },
    );
    const first = it.next();
    expect(await peek(first)).toBe('pending');
    stopped = true;
    upstream.end();
    expect(await first).toEqual({ done: true, value: undefined });
    expect(source.reads()).toBe(1);
    expect(await source.pages.next()).toEqual({ done: true, value: undefined }); // the source was closed
  });

  it('when a later pass reads the rest again, then only what settled while the earlier phases ran goes', async () => {
    const upstream = new Upstream();
    const settled = new Set([2]);
    const source = pagesOf([[1, 2], [3]]);
    const it = readyFirst(
      source.pages,
      (n: number) => settled.has(n),
      upstream,
      () => false,
      { hold: 10, least: 1, rest: 'later' },
    );
    expect(await it.next()).toEqual({ done: false, value: [2] });
    const rest = it.next();
    expect(await peek(rest)).toBe('pending');
    upstream.end();
    expect(await rest).toEqual({ done: true, value: undefined });
  });
});
