import { MigrationInterface, QueryRunner } from "typeorm";

export class ScanSchedules1796165145475 implements MigrationInterface {
    name = 'ScanSchedules1796165145475'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "github_scan_schedules" ("organization_id" uuid NOT NULL, "cron" character varying(100) NOT NULL, "next_run_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_run_at" TIMESTAMP WITH TIME ZONE, "last_scan_id" uuid, "updated_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_78d4f80788d392be3e711226f7c" PRIMARY KEY ("organization_id"))`);
        await queryRunner.query(`ALTER TABLE "github_scan_schedules" ADD CONSTRAINT "FK_78d4f80788d392be3e711226f7c" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "github_scan_schedules" DROP CONSTRAINT "FK_78d4f80788d392be3e711226f7c"`);
        await queryRunner.query(`DROP TABLE "github_scan_schedules"`);
    }

}
