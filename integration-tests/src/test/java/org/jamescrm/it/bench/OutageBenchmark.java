package org.jamescrm.it.bench;

import java.time.Duration;
import java.util.Map;

import org.jamescrm.it.OutageRun;

/**
 * The outage run of docs/RELIABILITY.md ({@link OutageRun}) with the product's retry schedule:
 * 1,000 mails from 8 SMTP clients, the Bitrix24 portal down for 60 s in the middle, then 60 s of
 * storm. Run by {@code bin/benchmark outage [mails] [outage seconds] [memory|durable] [storm seconds]};
 * {@code durable} runs James's ActiveMQ queue and file repository instead of the memory server's.
 * Prints the figures; exits 1 when a mail was lost or duplicated or the portal saw misuse.
 */
public final class OutageBenchmark {

    private OutageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int mails = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int outage = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        boolean durable = args.length > 2 && args[2].equals("durable");
        int storm = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        OutageRun.Figures figures = OutageRun.run(new OutageRun.Plan(mails, 8, Duration.ofSeconds(outage / 2), Duration.ofSeconds(outage),
            Duration.ofSeconds(storm), Duration.ofMinutes(30), durable, Map.of()));
        System.out.println(figures.report());
        figures.violations().forEach(violation -> System.out.println("violation: " + violation));
        boolean clean = figures.lost() == 0 && figures.duplicated() == 0 && figures.violations().isEmpty()
            && figures.inMailboxes() == mails;
        System.exit(clean ? 0 : 1);
    }
}
