package io.ttsmesh.task;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The tasks found on the class path ({@link ServiceLoader} over {@link Task}), by name. Requests that name no
 * task get {@link #DEFAULT}.
 */
public final class TaskRegistry {

    /** The task of requests that name none. */
    public static final String DEFAULT = "arithmetic";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private final Map<String, Task> tasks;

    public TaskRegistry(Collection<? extends Task> tasks) {
        Map<String, Task> byName = new TreeMap<>();
        for (Task t : tasks) {
            if (!NAME.matcher(t.name()).matches()) {
                throw new IllegalArgumentException("task name '" + t.name() + "' (" + t.getClass().getName()
                        + ") must match " + NAME.pattern());
            }
            Task before = byName.putIfAbsent(t.name(), t);
            if (before != null) {
                throw new IllegalArgumentException("task '" + t.name() + "' is registered twice: "
                        + before.getClass().getName() + " and " + t.getClass().getName());
            }
        }
        this.tasks = Collections.unmodifiableMap(byName);
    }

    /** Every task registered on the class path of this registry's class loader. */
    public static TaskRegistry load() {
        return new TaskRegistry(ServiceLoader.load(Task.class, TaskRegistry.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList());
    }

    /** Task names, sorted. */
    public Collection<String> names() {
        return tasks.keySet();
    }

    public Collection<Task> all() {
        return tasks.values();
    }

    /**
     * The task a request names; null or blank names the default.
     *
     * @throws InvalidQuestion on field "task" when no such task is registered
     */
    public Task get(String name) {
        String key = name == null || name.isBlank() ? DEFAULT : name.strip();
        Task t = tasks.get(key);
        if (t == null) {
            throw new InvalidQuestion("task", "unknown task '" + key + "' (known: " + String.join(", ", names()) + ")");
        }
        return t;
    }

    public boolean contains(String name) {
        return tasks.containsKey(name);
    }
}
