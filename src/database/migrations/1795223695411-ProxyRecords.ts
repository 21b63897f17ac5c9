import { MigrationInterface, QueryRunner } from "typeorm";

export class ProxyRecords1795223695411 implements MigrationInterface {
    name = 'ProxyRecords1795223695411'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "proxy_records" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "domain" character varying(253) NOT NULL, "target_cname" character varying(253) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'waiting', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c04857f4e8f73c97bfaefb3c6e0" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_4a0a4335201adb576ba8f5bd86" ON "proxy_records"  ("organization_id", "domain") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_4a0a4335201adb576ba8f5bd86"`);
        await queryRunner.query(`DROP TABLE "proxy_records"`);
    }

}
