import { takeGroup } from './event-publisher';

const send = (id: string, topic: string, n: number, bytesEach = 10) => ({
  id,
  topicMessages: [{ topic, messages: Array.from({ length: n }, (_, i) => ({ key: `${id}-${i}`, value: 'x'.repeat(bytesEach - `${id}-${i}`.length) })) }],
  count: n,
  bytes: n * bytesEach,
});

describe('takeGroup (group commit of queued sends)', () => {
  it('takes queued sends oldest first and merges their messages per topic in queue order', () => {
    const queue = [send('a', 'postings', 2), send('b', 'companies', 1), send('c', 'postings', 1)];
    const { group, topicMessages } = takeGroup(queue);
    expect(group.map((g) => g.id)).toEqual(['a', 'b', 'c']);
    expect(queue).toEqual([]);
    expect(topicMessages.map((t) => [t.topic, t.messages.map((m) => m.key)])).toEqual([
      ['postings', ['a-0', 'a-1', 'c-0']],
      ['companies', ['b-0']],
    ]);
  });

  it('stops at the message and byte limits and leaves the rest queued', () => {
    const queue = [send('a', 't', 3), send('b', 't', 3), send('c', 't', 3)];
    expect(takeGroup(queue, 6, 1e9).group.map((g) => g.id)).toEqual(['a', 'b']);
    expect(queue.map((g) => g.id)).toEqual(['c']);
    const bytes = [send('a', 't', 1, 100), send('b', 't', 1, 100)];
    expect(takeGroup(bytes, 1000, 150).group.map((g) => g.id)).toEqual(['a']);
  });

  it('sends an oversize send alone rather than never', () => {
    const queue = [send('big', 't', 50), send('next', 't', 1)];
    expect(takeGroup(queue, 10, 1e9).group.map((g) => g.id)).toEqual(['big']);
    expect(takeGroup(queue, 10, 1e9).group.map((g) => g.id)).toEqual(['next']);
  });
});
