// Reads a multipart form without trusting it: text fields are size-capped, each file is buffered up to
// a limit (bigger ones are drained and reported as too large instead of failing the whole form), and the
// number of files is capped. Files are returned apart from the FormData so that form schemas only see text.
import { unstable_parseMultipartFormData, type UploadHandlerPart } from '@remix-run/node';
import { badRequest, readFormData } from './http.server';

export type UploadedFile = {
  field: string;
  /** as sent by the browser: shown to the user, never trusted */
  filename: string;
  declaredType: string;
  size: number;
  /** null when the file was larger than `maxFileBytes` (its bytes were discarded) */
  bytes: Buffer | null;
};

export type MultipartLimits = { maxFileBytes: number; maxFiles?: number; maxFieldBytes?: number };

export async function readMultipartForm(request: Request, limits: MultipartLimits): Promise<{ formData: FormData; files: UploadedFile[] }> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    // A form without files (or a client that posts urlencoded): nothing to stream.
    return { formData: await readFormData(request), files: [] };
  }
  const maxFiles = limits.maxFiles ?? 10;
  const maxFieldBytes = limits.maxFieldBytes ?? 64 * 1024;
  const files: UploadedFile[] = [];
  let fileCount = 0;

  const handler = async (part: UploadHandlerPart) => {
    if (part.filename === undefined) {
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of part.data) {
        size += chunk.byteLength;
        if (size > maxFieldBytes) badRequest(`表单字段 ${part.name} 太长 / Form field ${part.name} is too long`);
        chunks.push(chunk);
      }
      return Buffer.concat(chunks).toString('utf8');
    }
    let size = 0;
    const chunks: Uint8Array[] = [];
    for await (const chunk of part.data) {
      size += chunk.byteLength;
      if (size <= limits.maxFileBytes) chunks.push(chunk);
    }
    if (part.filename === '' && size === 0) return undefined; // an empty <input type=file>
    fileCount++;
    if (fileCount > maxFiles) badRequest(`一次最多上传 ${maxFiles} 个文件 / At most ${maxFiles} files at a time`);
    files.push({
      field: part.name,
      filename: part.filename.slice(0, 200),
      declaredType: part.contentType,
      size,
      bytes: size <= limits.maxFileBytes ? Buffer.concat(chunks) : null,
    });
    return undefined;
  };

  try {
    const formData = await unstable_parseMultipartFormData(request, handler);
    return { formData, files };
  } catch (error) {
    if (error instanceof Response) throw error;
    badRequest('无法读取上传的表单 / The uploaded form could not be read');
  }
}
