import { MigrationInterface, QueryRunner } from "typeorm";

export class AccessRequests1795223426690 implements MigrationInterface {
    name = 'AccessRequests1795223426690'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "access_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "project_id" uuid NOT NULL, "kind" character varying(32) NOT NULL, "requester_id" uuid NOT NULL, "requester_email" character varying(320) NOT NULL, "requester_name" character varying(256) NOT NULL, "reason" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "note" text, "resolved_by" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f89e51c15e3dbea13aa248fe128" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_6f5a2122d157f21910921fd57d" ON "access_requests"  ("project_id", "kind", "status") `);
        await queryRunner.query(`ALTER TABLE "outbox_emails" ADD "delivery_generation" integer NOT NULL DEFAULT '0'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "outbox_emails" DROP COLUMN "delivery_generation"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_6f5a2122d157f21910921fd57d"`);
        await queryRunner.query(`DROP TABLE "access_requests"`);
    }

}
