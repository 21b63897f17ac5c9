import { MigrationInterface, QueryRunner } from "typeorm";

/** The audit log says from which address an admin acted and which non-secret fields changed; filter by target. */
export class AuditAddressAndChanges1796170100000 implements MigrationInterface {
    name = 'AuditAddressAndChanges1796170100000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "audit_log" ADD "ip" character varying(64)`);
        await queryRunner.query(`ALTER TABLE "audit_log" ADD "changes" jsonb`);
        await queryRunner.query(`CREATE INDEX "IDX_19828421a28f432de4af2ca5bb" ON "audit_log"  ("organization_id", "target") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_19828421a28f432de4af2ca5bb"`);
        await queryRunner.query(`ALTER TABLE "audit_log" DROP COLUMN "changes"`);
        await queryRunner.query(`ALTER TABLE "audit_log" DROP COLUMN "ip"`);
    }

}
