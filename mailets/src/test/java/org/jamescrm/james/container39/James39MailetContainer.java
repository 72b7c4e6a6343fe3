package org.jamescrm.james.container39;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.UserEntityValidator;
import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.mailetcontainer.impl.CompositeProcessorImpl;
import org.apache.james.mailetcontainer.impl.JamesMailSpooler;
import org.apache.james.mailetcontainer.impl.JamesMailetContext;
import org.apache.james.mailetcontainer.impl.MailetProcessorImpl;
import org.apache.james.mailetcontainer.impl.MatcherMailetPair;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.modules.server.MailetContainerModule;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.memory.MemoryRecipientRewriteTable;
import org.apache.james.server.core.JamesServerResourceLoader;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.server.core.configuration.FileConfigurationProvider;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.apache.james.utils.ExtensionModule;
import org.apache.james.utils.GuiceGenericLoader;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.PropertiesProvider;
import org.apache.mailet.Mailet;
import org.apache.mailet.MailetContext;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;

/**
 * The James 3.9.0 mailet container (mailet context, spooler, processors, Guice mailet and matcher
 * loaders, extensions) running in the test JVM from published 3.9.0 artifacts only, on a James
 * working directory: {@code conf/mailetcontainer.xml}, {@code conf/extensions.properties},
 * {@code conf/domainlist.xml} and {@code extensions-jars/}, as a James server reads them.
 *
 * <p>The container modules are James's own ({@link MailetContainerModule}, {@link ExtensionModule});
 * this class binds what the rest of a server would: file system and configuration, DNS, domain list,
 * users, recipient rewrite table, mail queues, mail repositories, metrics and the clock. Mail enters
 * with {@link MailetContext#sendMail} and leaves through {@link CollectingMailet}.
 */
public final class James39MailetContainer implements AutoCloseable {
    private final Injector injector;
    private final InMemoryMailQueueFactory queues;
    private final Duration startDuration;

    private James39MailetContainer(Injector injector, InMemoryMailQueueFactory queues, Duration startDuration) {
        this.injector = injector;
        this.queues = queues;
        this.startDuration = startDuration;
    }

    /** Wires and starts the container on {@code workDir} with these mailboxes; returns once the spooler runs. */
    public static James39MailetContainer start(Path workDir, List<String> users) throws Exception {
        long started = System.nanoTime();
        Configuration configuration = Configuration.builder().workingDirectory(workDir.toFile()).build();
        FileSystemImpl fileSystem = new FileSystemImpl(new JamesServerResourceLoader(workDir.toString()));
        FileConfigurationProvider configurationProvider = new FileConfigurationProvider(fileSystem, configuration);
        LoopbackDns dns = new LoopbackDns();

        MemoryDomainList domainList = new MemoryDomainList(dns);
        domainList.configure(configurationProvider.getConfiguration("domainlist"));
        Domain defaultDomain = domainList.getDefaultDomain();
        if (!domainList.containsDomain(defaultDomain)) {
            domainList.addDomain(defaultDomain);
        }
        MemoryUsersRepository usersRepository = MemoryUsersRepository.withVirtualHosting(domainList);
        for (String user : users) {
            usersRepository.addUser(Username.of(user), "secret");
        }
        MemoryRecipientRewriteTable recipientRewriteTable = new MemoryRecipientRewriteTable();
        recipientRewriteTable.setUsersRepository(usersRepository);
        recipientRewriteTable.setDomainList(domainList);
        recipientRewriteTable.configure(new BaseHierarchicalConfiguration()); // RecipientIsLocal needs a configured table
        InMemoryMailQueueFactory queues = new InMemoryMailQueueFactory();

        Injector injector = Guice.createInjector(
            new MailetContainerModule(),
            new ExtensionModule(),
            new AbstractModule() {
                @Override
                protected void configure() {
                    bind(FileSystem.class).toInstance(fileSystem);
                    bind(ConfigurationProvider.class).toInstance(configurationProvider);
                    bind(PropertiesProvider.class).toInstance(new PropertiesProvider(fileSystem, configuration.configurationPath()));
                    bind(MailetContainerModule.DefaultProcessorsConfigurationSupplier.class).toInstance(BaseHierarchicalConfiguration::new);
                    // Guice calls the @Inject setters of toInstance() objects: the memory users repository wants this one
                    bind(UserEntityValidator.class).toInstance(UserEntityValidator.NOOP);
                    bind(DNSService.class).toInstance(dns);
                    bind(DomainList.class).toInstance(domainList);
                    bind(UsersRepository.class).toInstance(usersRepository);
                    bind(RecipientRewriteTable.class).toInstance(recipientRewriteTable);
                    bind(new TypeLiteral<MailQueueFactory<?>>() { }).toInstance(queues);
                    bind(MailRepositoryStore.class).toInstance(new InMemoryMailRepositoryStore());
                    bind(MetricFactory.class).toInstance(new RecordingMetricFactory());
                    bind(GaugeRegistry.class).toInstance(new NoopGaugeRegistry());
                    bind(Clock.class).toInstance(Clock.systemUTC());
                }
            });
        runInitializationOperations(injector);
        return new James39MailetContainer(injector, queues, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * What a James server does at start with the initialization operations of its modules: the mailet
     * context first (it reads {@code <context>} and opens the spool queue), then the others, each after
     * the ones it requires (processors, then the spooler; user startables of extensions.properties).
     */
    private static void runInitializationOperations(Injector injector) throws Exception {
        List<InitializationOperation> operations = new ArrayList<>(
            injector.getInstance(Key.get(new TypeLiteral<Set<InitializationOperation>>() { })));
        operations.sort(Comparator.comparing((InitializationOperation operation) -> operation.forClass() != JamesMailetContext.class)
            .thenComparingInt(InitializationOperation::priority));
        Set<InitializationOperation> done = new HashSet<>();
        for (InitializationOperation operation : operations) {
            run(operation, operations, done);
        }
    }

    private static void run(InitializationOperation operation, List<InitializationOperation> all,
                            Set<InitializationOperation> done) throws Exception {
        if (!done.add(operation)) {
            return;
        }
        for (Class<?> required : operation.requires()) {
            for (InitializationOperation candidate : all) {
                if (required.isAssignableFrom(candidate.forClass())) {
                    run(candidate, all, done);
                }
            }
        }
        operation.initModule();
    }

    /** How long wiring and starting took. */
    public Duration startDuration() {
        return startDuration;
    }

    /** James's mailet context: {@code sendMail} puts mail in the spool queue, as the SMTP server does. */
    public MailetContext mailetContext() {
        return injector.getInstance(MailetContext.class);
    }

    /** James's loader of extensions: the class loader of {@code extensions-jars/} and the injector of the extension modules. */
    public GuiceGenericLoader extensionLoader() {
        return injector.getInstance(GuiceGenericLoader.class);
    }

    /** The mailets of a processor, in order, as the container instantiated them. */
    public List<Mailet> mailetsOf(String processorState) {
        MailetProcessorImpl processor = (MailetProcessorImpl) injector.getInstance(CompositeProcessorImpl.class).getProcessor(processorState);
        if (processor == null) {
            throw new IllegalArgumentException("No processor " + processorState);
        }
        return processor.getPairs().stream().map(MatcherMailetPair::getMailet).toList();
    }

    @Override
    public void close() {
        injector.getInstance(JamesMailSpooler.class).dispose();
        injector.getInstance(CompositeProcessorImpl.class).dispose(); // destroy(): the capture consumer stops
        queues.close();
    }
}
