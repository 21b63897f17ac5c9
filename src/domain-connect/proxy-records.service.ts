import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import { OrgPrincipal } from '../auth/principal';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { DomainConnectDiscoveryService } from './domain-connect-discovery.service';
import { ProxyRecordStatus } from './domain-connect.enums';
import { CreateProxyRecordDto, ProxyRecordDto } from './dto/proxy-record.dto';
import { ProxyRecordEntity } from './proxy-record.entity';
import { isUniqueViolation } from '../common/database-errors';
import { proxyRecordExists, proxyRecordNotFound } from './domain-connect.errors';
import { isUuid } from '../common/params';


@Injectable()
export class ProxyRecordsService {
  constructor(
    @InjectRepository(ProxyRecordEntity) private readonly records: Repository<ProxyRecordEntity>,
    private readonly discovery: DomainConnectDiscoveryService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async list(principal: OrgPrincipal): Promise<ProxyRecordDto[]> {
    const rows = await this.records.find({ where: { organizationId: principal.organizationId }, order: { createdAt: 'ASC' } });
    return rows.map(toProxyRecordDto);
  }

  async create(principal: OrgPrincipal, dto: CreateProxyRecordDto): Promise<ProxyRecordDto> {
    const { apex, host } = this.discovery.split(dto.domain);
    const domain = host ? `${host}.${apex}` : apex;
    if (await this.records.exists({ where: { organizationId: principal.organizationId, domain } })) throw proxyRecordExists(domain);
    const row = this.records.create({
      organizationId: principal.organizationId,
      domain,
      targetCname: `${randomBytes(8).toString('hex')}.${this.config.domainConnect.proxyTargetDomain}`,
      status: ProxyRecordStatus.Waiting,
      createdBy: principal.userId,
    });
    try {
      await this.records.save(row);
    } catch (err) {
      // A concurrent create of the same domain won the unique index.
      if (isUniqueViolation(err)) throw proxyRecordExists(domain);
      throw err;
    }
    return toProxyRecordDto(row);
  }

  async get(principal: OrgPrincipal, id: string): Promise<ProxyRecordDto> {
    return toProxyRecordDto(await this.findInOrganization(principal.organizationId, id));
  }

  async remove(principal: OrgPrincipal, id: string): Promise<void> {
    const row = await this.findInOrganization(principal.organizationId, id);
    await this.records.delete({ id: row.id });
  }

  /** The caller's organization's record; anything else is 404. */
  async findInOrganization(organizationId: string, id: string): Promise<ProxyRecordEntity> {
    const row = isUuid(id) ? await this.records.findOne({ where: { id, organizationId } }) : null;
    if (!row) throw proxyRecordNotFound();
    return row;
  }
}

function toProxyRecordDto(row: ProxyRecordEntity): ProxyRecordDto {
  return { id: row.id, domain: row.domain, target_cname: row.targetCname, status: row.status, created_at: row.createdAt.toISOString() };
}
