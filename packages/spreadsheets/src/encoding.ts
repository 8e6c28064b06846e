/**
 * Which encoding a CSV is in. Thai CSVs come as UTF-8 (with or without a BOM) or, from older Excel
 * and government systems, as TIS-620 / Windows-874. The file is tried as strict UTF-8 from start to
 * end (streamed, so a large file costs one quick read, not its size in memory); any invalid sequence
 * means Windows-874, a superset of TIS-620. `--encoding` overrides the guess.
 */
import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import { t } from '@moral-registry/common';
import { UsageError } from './api.ts';

export type Encoding = 'utf-8' | 'windows-874';

const NAMES: Record<string, Encoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'windows-874': 'windows-874',
  windows874: 'windows-874',
  cp874: 'windows-874',
  'tis-620': 'windows-874',
  tis620: 'windows-874',
  'iso-8859-11': 'windows-874',
};

/** The encoding named on the command line, or an error listing the accepted names. */
export function encodingArg(name: string): Encoding {
  const found = NAMES[name.trim().toLowerCase()];
  if (!found) throw new UsageError(t('cli.encoding', { name }));
  return found;
}

/** True when every byte of the file is valid UTF-8. */
export async function isUtf8File(file: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return true;
  } catch (error) {
    if (error instanceof TypeError) return false;
    throw error;
  }
}

export async function detectEncoding(file: string): Promise<Encoding> {
  return (await isUtf8File(file)) ? 'utf-8' : 'windows-874';
}

/** A transform from the file's bytes to text; a UTF-8 BOM is dropped. */
export function decoder(encoding: Encoding): NodeJS.ReadWriteStream {
  return iconv.decodeStream(encoding === 'utf-8' ? 'utf8' : 'windows874', { stripBOM: true });
}
