import type { LoaderFunctionArgs } from '@remix-run/node';
import { idParam } from '~/modules/sellers/access.server';
import { certificateImageResponse } from '~/modules/sellers/private-files.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  return certificateImageResponse(request, idParam(params.id));
}
