package org.jamescrm.it;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.ExtraProperties;
import org.apache.james.FakeSearchMailboxModule;
import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerMain;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.modules.RunArgumentsModule;
import org.apache.james.modules.server.JMXServerModule;

import com.google.inject.Module;

/**
 * Starts James's memory server as {@code james-server-memory-app.jar} does ({@link MemoryJamesServerMain#main}),
 * with some of its modules overridden: the benchmarks' launchers of a James with one part replaced.
 */
final class MemoryServerLaunch {
    private MemoryServerLaunch() {
    }

    /** Starts the memory server with {@code overrides} in place of what they bind, in the working directory. */
    static void start(String[] args, Module... overrides) throws Exception {
        ExtraProperties.initialize();
        MemoryJamesConfiguration configuration = MemoryJamesConfiguration.builder().useWorkingDirectoryEnvProperty().build();
        List<Module> modules = new ArrayList<>(List.of(new RunArgumentsModule(args)));
        modules.addAll(List.of(overrides));
        GuiceJamesServer server = MemoryJamesServerMain.createServer(configuration)
            .combineWith(new FakeSearchMailboxModule(), new JMXServerModule())
            .overrideWith(modules);
        JamesServerMain.main(server);
    }
}
