import { maxUploadBytes } from '../corpus/validate-upload.ts';
import { BadRequestError, PayloadTooLargeError } from '../errors.ts';

/**
 * The multipart body of an upload route: refused before it is read when its declared size is
 * over the upload limit (413), or when it is not multipart (400, with `hint` saying what to send).
 */
export async function readMultipart(req: Request, hint: string): Promise<{ form: FormData; files: File[]; limit: number }> {
  const limit = maxUploadBytes();
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit + 64 * 1024) throw new PayloadTooLargeError(`upload is ${(declared / 1048576).toFixed(1)} MB, over the ${(limit / 1048576).toFixed(0)} MB upload limit`);
  if (!(req.headers.get('content-type') ?? '').includes('multipart/form-data')) throw new BadRequestError(hint, 'files');
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    throw new BadRequestError('could not read the multipart body', 'files');
  }
  return { form, files: form.getAll('files').filter((f): f is File => f instanceof File), limit };
}
