package io.tuneforge.cli.platform;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code tuneforge down}: stops what {@code tuneforge up} started. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = {"Stop the services (SIGTERM, killed after 20 s), then Kafka, S3 and PostgreSQL; remove the pid"
                + " files and .tuneforge/platform.env.",
                "The data (datasets, models, runs, the registry's database) stays in .tuneforge/data for the next"
                        + " `tuneforge up`, unless --purge."})
public final class DownCommand implements Callable<Integer> {

    @Option(names = "--purge", description = "Also delete .tuneforge/data (every dataset, model, run and registry row).")
    boolean purge;

    @Override
    public Integer call() {
        LocalPlatform platform = new LocalPlatform(PlatformHome.locate());
        System.out.println("tuneforge down: " + platform.home().dir());
        platform.down(purge, System.out);
        System.out.println("The platform is stopped" + (purge ? " and its data deleted." : "; its data stays in "
                + platform.home().data() + " (`tuneforge down --purge` deletes it)."));
        return 0;
    }
}
