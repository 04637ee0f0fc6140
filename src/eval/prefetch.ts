// Ordered async map with bounded look-ahead: image decoding (sharp, on libuv's
// threads) overlaps with the synchronous native forward pass on the main thread.

export async function* prefetchMap<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): AsyncGenerator<R> {
  const inFlight: Promise<R>[] = []
  let next = 0
  const launch = () => {
    const i = next++
    const p = fn(items[i], i)
    p.catch(() => {}) // consumed in order below; avoid an unhandled rejection while it waits
    inFlight.push(p)
  }
  while (next < items.length && inFlight.length < concurrency) launch()
  while (inFlight.length > 0) {
    const head = inFlight.shift() as Promise<R>
    if (next < items.length) launch()
    yield await head
  }
}
