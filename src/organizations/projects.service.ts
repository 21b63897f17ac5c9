import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OrgPrincipal } from '../auth/principal';
import { CreateProjectDto, ProjectDto, UpdateProjectDto } from './dto/project.dto';
import { ProjectEntity } from './project.entity';
import { projectNotFound } from './organizations.errors';

const OWNER_TTL_MS = 10_000;

@Injectable()
export class ProjectsService {
  /** project id -> organization id; projects never change organization, so only deletion can make it stale. */
  private readonly ownerCache = new Map<string, { organizationId: string; until: number }>();

  constructor(@InjectRepository(ProjectEntity) private readonly projects: Repository<ProjectEntity>) {}

  async organizationOf(projectId: string): Promise<string | null> {
    const cached = this.ownerCache.get(projectId);
    if (cached && cached.until > Date.now()) return cached.organizationId;
    const row = await this.projects.findOne({ where: { id: projectId }, select: { id: true, organizationId: true } });
    if (!row) return null;
    if (this.ownerCache.size > 50_000) this.ownerCache.clear();
    this.ownerCache.set(projectId, { organizationId: row.organizationId, until: Date.now() + OWNER_TTL_MS });
    return row.organizationId;
  }

  async list(principal: OrgPrincipal): Promise<ProjectDto[]> {
    const rows = await this.projects.find({ where: { organizationId: principal.organizationId }, order: { createdAt: 'ASC' } });
    return rows.map(toProjectDto);
  }

  async create(principal: OrgPrincipal, dto: CreateProjectDto): Promise<ProjectDto> {
    const row = await this.projects.save(this.projects.create({ organizationId: principal.organizationId, name: dto.name }));
    return toProjectDto(row);
  }

  async get(principal: OrgPrincipal, projectId: string): Promise<ProjectDto> {
    return toProjectDto(await this.find(principal, projectId));
  }

  async update(principal: OrgPrincipal, projectId: string, dto: UpdateProjectDto): Promise<ProjectDto> {
    const row = await this.find(principal, projectId);
    if (dto.name !== undefined) row.name = dto.name;
    return toProjectDto(await this.projects.save(row));
  }

  async remove(principal: OrgPrincipal, projectId: string): Promise<void> {
    const row = await this.find(principal, projectId);
    await this.projects.delete({ id: row.id });
    this.ownerCache.delete(projectId);
  }

  private async find(principal: OrgPrincipal, projectId: string): Promise<ProjectEntity> {
    const row = await this.projects.findOne({ where: { id: projectId, organizationId: principal.organizationId } });
    if (!row) throw projectNotFound();
    return row;
  }
}

export function toProjectDto(row: ProjectEntity): ProjectDto {
  return {
    id: row.id,
    organization_id: row.organizationId,
    name: row.name,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
