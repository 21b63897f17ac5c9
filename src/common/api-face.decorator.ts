import { applyDecorators, UseFilters } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ErrorFace, FaceExceptionFilter } from './error-faces';

/**
 * Marks a controller as speaking one API dialect: errors are rendered in that dialect's body, and the contract
 * says so (`x-error-dialect`), so the document builder can describe its error responses in that shape.
 */
export const ApiFace = (face: ErrorFace) => applyDecorators(UseFilters(new FaceExceptionFilter(face)), ApiExtension('x-error-dialect', face));
