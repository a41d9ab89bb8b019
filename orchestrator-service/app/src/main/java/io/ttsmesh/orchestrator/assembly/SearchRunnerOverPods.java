package io.ttsmesh.orchestrator.assembly;

import io.ttsmesh.orchestrator.pods.PodClients;
import io.ttsmesh.orchestrator.pods.TaskPods;
import io.ttsmesh.orchestrator.solving.SearchSettingsFactory;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.run.ServedTask;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the core meets its outbound adapters: the one search runner of the app, over every served task's
 * pods, each with its own settings. Built here so that {@code solving} knows the runner, never the pod clients.
 */
public class SearchRunnerOverPods {

    @Produces
    @Singleton
    SearchRunner runner(PodClients pods, SearchSettingsFactory settings) {
        TaskRegistry registry = TaskRegistry.load();
        List<ServedTask> served = new ArrayList<>();
        for (TaskPods task : pods.tasks()) {
            if (!registry.contains(task.task())) {
                throw new IllegalStateException((task.task().equals(pods.defaultTask()) ? "tts.orchestrator.task: task "
                        : "tts.orchestrator.tasks." + task.task() + ": task ") + task.task()
                        + " is not on the class path (known: " + String.join(", ", registry.names()) + ")");
            }
            Task definition = registry.get(task.task());
            served.add(new ServedTask(definition, task.sessions(), task.scorer(), settings.settings(definition)));
        }
        return new SearchRunner(registry, pods.defaultTask(), served);
    }
}
