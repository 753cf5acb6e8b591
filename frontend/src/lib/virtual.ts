// Windowing for the transactions list: only the rows in view (plus a margin)
// exist in the DOM, and only the pages they need are fetched from Go.

export interface Range {
  start: number // first row index rendered
  end: number // one past the last
}

export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 10): Range {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 }
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight)
  const count = Math.ceil(Math.max(0, viewport) / rowHeight) + 1
  return { start: Math.max(0, first - overscan), end: Math.min(total, first + count + overscan) }
}

// pagesFor lists the page numbers (pageSize rows each) that cover r.
export function pagesFor(r: Range, pageSize: number): number[] {
  if (r.end <= r.start) return []
  const pages: number[] = []
  for (let p = Math.floor(r.start / pageSize); p <= Math.floor((r.end - 1) / pageSize); p++) pages.push(p)
  return pages
}

// PageCache keeps fetched pages for one query; a new query starts a new cache.
export class PageCache<T> {
  private pages = new Map<number, T[]>()
  private inflight = new Map<number, Promise<void>>()
  constructor(
    private pageSize: number,
    private fetch: (offset: number, limit: number) => Promise<T[]>,
    private maxPages = 50,
  ) {}

  row(i: number): T | undefined {
    return this.pages.get(Math.floor(i / this.pageSize))?.[i % this.pageSize]
  }

  // ensure fetches the missing pages of r and resolves when they are in.
  async ensure(r: Range): Promise<void> {
    const wanted = pagesFor(r, this.pageSize)
    await Promise.all(
      wanted.map((p) => {
        if (this.pages.has(p)) return Promise.resolve()
        let job = this.inflight.get(p)
        if (!job) {
          job = this.fetch(p * this.pageSize, this.pageSize).then((rows) => {
            this.pages.set(p, rows)
            this.inflight.delete(p)
            this.evict(wanted)
          })
          this.inflight.set(p, job)
        }
        return job
      }),
    )
  }

  private evict(keep: number[]) {
    if (this.pages.size <= this.maxPages) return
    for (const p of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break
      if (!keep.includes(p)) this.pages.delete(p)
    }
  }

  get size(): number {
    return this.pages.size
  }
}
