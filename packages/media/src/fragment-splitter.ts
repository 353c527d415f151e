import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";

/** One output segment: `fragments` consecutive fragments of the stream, from fragment `first`. */
export interface SplitSegment {
  name: string;
  first: number;
  fragments: number;
}

export interface FragmentSplitterOptions {
  dir: string;
  /** Where everything before the first fragment (ftyp, moov) goes. */
  initName: string;
  /** In order, covering every fragment once. */
  segments: readonly SplitSegment[];
  /** Samples each fragment must hold, by fragment: a fragment that differs means the cut is not where the plan says. */
  samplesPerFragment: readonly number[];
  /** Called once a file is completely written and closed. */
  onWritten: (name: string) => void;
}

/** Sample count of a moof: the sum of its truns' sample_count. */
function moofSamples(moof: Buffer): number {
  let samples = 0;
  const walk = (body: Buffer, wanted: string, visit: (child: Buffer) => void) => {
    for (let at = 0; at + 8 <= body.length; ) {
      const size = body.readUInt32BE(at);
      if (size < 8 || at + size > body.length) throw new Error("a fragment's moof box is malformed");
      if (body.toString("latin1", at + 4, at + 8) === wanted) visit(body.subarray(at + 8, at + size));
      at += size;
    }
  };
  walk(moof.subarray(8), "traf", (traf) => walk(traf, "trun", (trun) => (samples += trun.readUInt32BE(4))));
  return samples;
}

/**
 * Splits a fragmented MP4 stream (ffmpeg's `-movflags frag_keyframe`, one
 * fragment per keyframe) into an init segment and media segments of whole
 * fragments, as the plan says, closing each file as soon as its last
 * fragment is in. A stream that does not fragment as planned fails.
 */
export function fragmentSplitter(options: FragmentSplitterOptions): Writable {
  const segmentOf = new Map(options.segments.map((s) => [s.first, s]));
  const totalFragments = options.samplesPerFragment.length;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let init: Buffer[] | undefined = [];
  let fragments = 0;
  let current: { name: string; handle: FileHandle } | undefined;

  const take = (n: number): Buffer => {
    const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = all.length > n ? [all.subarray(n)] : [];
    pendingBytes = all.length - n;
    return all.subarray(0, n);
  };
  const peekHeader = (): { size: number; type: string } | undefined => {
    if (pendingBytes < 8) return undefined;
    if (pending[0]!.length < 16 && pending.length > 1) pending = [Buffer.concat(pending, pendingBytes)];
    const head = pending[0]!;
    const size32 = head.readUInt32BE(0);
    const type = head.toString("latin1", 4, 8);
    if (size32 === 1) {
      if (head.length < 16) return undefined;
      return { size: Number(head.readBigUInt64BE(8)), type };
    }
    if (size32 < 8) throw new Error(`the fragmented stream has a ${type} box of size ${size32}`);
    return { size: size32, type };
  };
  const closeCurrent = async () => {
    if (!current) return;
    const { name, handle } = current;
    current = undefined;
    await handle.close();
    options.onWritten(name);
  };
  const writeFile = async (name: string, data: readonly Buffer[]) => {
    const handle = await open(join(options.dir, name), "w");
    try {
      for (const part of data) await handle.write(part);
    } finally {
      await handle.close();
    }
    options.onWritten(name);
  };

  async function onBox(type: string, box: Buffer): Promise<void> {
    if (type === "moof") {
      if (init) {
        await writeFile(options.initName, init);
        init = undefined;
      }
      const index = fragments++;
      if (index >= totalFragments) throw new Error(`the stream has more fragments than the ${totalFragments} keyframes planned`);
      const samples = moofSamples(box);
      if (samples !== options.samplesPerFragment[index]) {
        throw new Error(`fragment ${index} holds ${samples} samples where the keyframe scan counted ${options.samplesPerFragment[index]}`);
      }
      const starts = segmentOf.get(index);
      if (starts) {
        await closeCurrent();
        current = { name: starts.name, handle: await open(join(options.dir, starts.name), "w") };
      }
      if (!current) throw new Error(`fragment ${index} belongs to no planned segment`);
      await current.handle.write(box);
    } else if (type === "mdat") {
      if (!current) throw new Error("media data before the first fragment");
      await current.handle.write(box);
    } else if (init && (type === "ftyp" || type === "moov")) {
      init.push(Buffer.from(box));
    }
    // Anything else (free, a trailing mfra) is not part of the package.
  }

  return new Writable({
    async write(chunk: Buffer, _encoding, callback) {
      try {
        pending.push(chunk);
        pendingBytes += chunk.length;
        for (let header = peekHeader(); header && pendingBytes >= header.size; header = peekHeader()) {
          await onBox(header.type, take(header.size));
        }
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    async final(callback) {
      try {
        if (pendingBytes > 0) throw new Error(`the fragmented stream ends inside a box (${pendingBytes} bytes left)`);
        await closeCurrent();
        if (fragments !== totalFragments) throw new Error(`the stream has ${fragments} fragments where ${totalFragments} keyframes were planned`);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    async destroy(error, callback) {
      await current?.handle.close().catch(() => undefined);
      current = undefined;
      callback(error);
    },
  });
}
