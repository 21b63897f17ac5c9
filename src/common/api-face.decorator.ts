import { applyDecorators, UseFilters } from '@nestjs/common';
import { ErrorFace, FaceExceptionFilter } from './error-faces';

/** Marks a controller as speaking one API dialect: errors are rendered in that dialect's body. */
export const ApiFace = (face: ErrorFace) => applyDecorators(UseFilters(new FaceExceptionFilter(face)));
