import { MigrationInterface, QueryRunner } from "typeorm";

export class WebhookEvents1796161053365 implements MigrationInterface {
    name = 'WebhookEvents1796161053365'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "webhook_events" ("id" character varying(40) NOT NULL, "organization_id" uuid NOT NULL, "type" character varying(64) NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_4cba37e6a0acb5e1fc49c34ebfd" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_14d7f3dda5858119fd37988fa8" ON "webhook_events"  ("organization_id", "created_at") `);
        await queryRunner.query(`CREATE TABLE "webhook_subscriptions" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "url" character varying(2048) NOT NULL, "description" character varying(500), "event_types" text array NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "disabled_reason" character varying(500), "sealed_secret" text NOT NULL, "sealed_previous_secret" text, "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE, "failing_since" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bf631ae77d39849d599817fb6f4" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_6a865663a3ed98561b4f6d4e3f" ON "webhook_subscriptions"  ("organization_id", "created_at") `);
        await queryRunner.query(`CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" character varying(40) NOT NULL, "subscription_id" uuid NOT NULL, "status" character varying(16) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "lease_until" TIMESTAMP WITH TIME ZONE, "sweep_generation" integer NOT NULL DEFAULT '0', "response_status" integer, "response_time_ms" integer, "last_error" character varying(1000), "first_attempt_at" TIMESTAMP WITH TIME ZONE, "last_attempt_at" TIMESTAMP WITH TIME ZONE, "succeeded_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_27d1ee90033bdafe0ffe8f1be6" ON "webhook_deliveries"  ("event_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_webhook_deliveries_due" ON "webhook_deliveries"  ("next_attempt_at") WHERE status IN ('pending', 'sending')`);
        await queryRunner.query(`CREATE INDEX "IDX_95c2164aeeb56e15fbdb8d73d0" ON "webhook_deliveries"  ("subscription_id", "created_at") `);
        await queryRunner.query(`ALTER TABLE "webhook_events" ADD CONSTRAINT "FK_de96a1b4d6ff1fe4ca1c260bb6f" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "FK_9428849927949b5f0d697cac657" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_27d1ee90033bdafe0ffe8f1be6f" FOREIGN KEY ("event_id") REFERENCES "webhook_events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "FK_23eb2b6ae801c52cfb79a556b8a" FOREIGN KEY ("subscription_id") REFERENCES "webhook_subscriptions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_23eb2b6ae801c52cfb79a556b8a"`);
        await queryRunner.query(`ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_27d1ee90033bdafe0ffe8f1be6f"`);
        await queryRunner.query(`ALTER TABLE "webhook_subscriptions" DROP CONSTRAINT "FK_9428849927949b5f0d697cac657"`);
        await queryRunner.query(`ALTER TABLE "webhook_events" DROP CONSTRAINT "FK_de96a1b4d6ff1fe4ca1c260bb6f"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_95c2164aeeb56e15fbdb8d73d0"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_webhook_deliveries_due"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_27d1ee90033bdafe0ffe8f1be6"`);
        await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_6a865663a3ed98561b4f6d4e3f"`);
        await queryRunner.query(`DROP TABLE "webhook_subscriptions"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_14d7f3dda5858119fd37988fa8"`);
        await queryRunner.query(`DROP TABLE "webhook_events"`);
    }

}
