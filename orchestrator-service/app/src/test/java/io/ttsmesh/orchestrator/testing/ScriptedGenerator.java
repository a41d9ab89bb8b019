package io.ttsmesh.orchestrator.testing;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.ttsmesh.proto.TokenLogprob;
import io.ttsmesh.proto.TopLogprob;
import io.ttsmesh.proto.generator.Appended;
import io.ttsmesh.proto.generator.Cancelled;
import io.ttsmesh.proto.generator.Closed;
import io.ttsmesh.proto.generator.CommandError;
import io.ttsmesh.proto.generator.DescribeRequest;
import io.ttsmesh.proto.generator.Forked;
import io.ttsmesh.proto.generator.GeneratorGrpc;
import io.ttsmesh.proto.generator.ModelInfo;
import io.ttsmesh.proto.generator.ProbeResult;
import io.ttsmesh.proto.generator.SessionCommand;
import io.ttsmesh.proto.generator.SessionEvent;
import io.ttsmesh.proto.generator.Started;
import io.ttsmesh.proto.generator.Step;
import io.ttsmesh.proto.generator.StepEnd;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A generator pod for tests, over real gRPC on loopback, that solves "a+b" questions by a fixed script
 * instead of a model: step 0 is "a+b=s\n" and step 1 is "A: s" ending with EOS. Branches whose id is odd
 * get the sum wrong by one, so a search has something to choose. Countdown questions of three numbers
 * "a b c -> t" get "a+b=s; c s", "s+c=u; u", "A: u" (odd branches: u one too big), a right solution when
 * a+b+c = t. One character is one token. Branch ids
 * 900 and above never answer an Extend (to test deadlines); the step of branch k is delayed by
 * {@code stepDelayMs * k} so answers arrive in order of branch id.
 */
public final class ScriptedGenerator implements AutoCloseable {

    static final java.util.regex.Pattern SUM = java.util.regex.Pattern.compile("(\\d+)\\s*\\+\\s*(\\d+)");
    static final java.util.regex.Pattern COUNTDOWN = java.util.regex.Pattern.compile("(\\d+) (\\d+) (\\d+) -> (\\d+)");

    private final Server server;
    private final String instance;
    private final AtomicInteger openSessions = new AtomicInteger();
    private final AtomicInteger streamsOpened = new AtomicInteger();
    private final AtomicInteger liveBranches = new AtomicInteger();
    private final AtomicLong generatedTokens = new AtomicLong();
    private final List<SessionCommand> received = new CopyOnWriteArrayList<>();
    /** The gRPC deadline of each search's stream, by request id. */
    private final Map<String, io.grpc.Deadline> streamDeadlines = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private volatile long stepDelayMs;
    /** Steps from this index on wait in {@link #held} until {@link #release()}: a test's view of a search mid-way. */
    private int holdFromStep = Integer.MAX_VALUE;
    private final List<Runnable> held = new ArrayList<>();

    public ScriptedGenerator(String instance) throws IOException {
        this(instance, ServerBuilder.forPort(0));
    }

    /** A pod on a server the caller configured (e.g. with TLS). */
    public ScriptedGenerator(String instance, ServerBuilder<?> server) throws IOException {
        this.instance = instance;
        this.server = server.addService(new Service()).build().start();
    }

    public String address() {
        return "localhost:" + server.getPort();
    }

    public void stepDelayMs(long ms) {
        stepDelayMs = ms;
    }

    /** Steps with index {@code step} or later are not answered until {@link #release()}. */
    public synchronized void holdStepsFrom(int step) {
        holdFromStep = step;
    }

    /** Answers the held steps (each after its usual delay) and holds no more. */
    public synchronized void release() {
        holdFromStep = Integer.MAX_VALUE;
        held.forEach(Runnable::run);
        held.clear();
    }

    private synchronized void answerLater(int step, Runnable answer) {
        if (step >= holdFromStep) {
            held.add(answer);
        } else {
            answer.run();
        }
    }

    /** Session streams ever opened here, spares included. */
    public int streamsOpened() {
        return streamsOpened.get();
    }

    public int openSessions() {
        return openSessions.get();
    }

    public int liveBranches() {
        return liveBranches.get();
    }

    public long generatedTokens() {
        return generatedTokens.get();
    }

    public List<SessionCommand> received() {
        return received;
    }

    /** The gRPC deadline of the stream that served {@code requestId}, or null (none, or no such search here). */
    public io.grpc.Deadline streamDeadline(String requestId) {
        return streamDeadlines.get(requestId);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        timer.shutdownNow();
    }

    /** What the branches of one question write: one line per step, the answer line last. */
    private record Script(List<String> right, List<String> wrong) {

        /** The script of the question in a prompt, or null when the prompt holds none this pod knows. */
        static Script of(String prompt) {
            var c = COUNTDOWN.matcher(prompt);
            if (c.find()) {
                int a = Integer.parseInt(c.group(1));
                int b = Integer.parseInt(c.group(2));
                int n = Integer.parseInt(c.group(3));
                int s = a + b;
                int u = s + n;
                String first = a + "+" + b + "=" + s + "; " + n + " " + s;
                return new Script(List.of(first, s + "+" + n + "=" + u + "; " + u, "A: " + u),
                        List.of(first, s + "+" + n + "=" + (u + 1) + "; " + (u + 1), "A: " + (u + 1)));
            }
            var m = SUM.matcher(prompt);
            if (!m.find()) {
                return null;
            }
            int a = Integer.parseInt(m.group(1));
            int b = Integer.parseInt(m.group(2));
            return new Script(List.of(a + "+" + b + "=" + (a + b), "A: " + (a + b)),
                    List.of(a + "+" + b + "=" + (a + b + 1), "A: " + (a + b + 1)));
        }
    }

    /** Where a branch stands in its script. */
    private record Branch(Script script, boolean wrong, int step, int length) {
        List<String> lines() {
            return wrong ? script.wrong() : script.right();
        }

        String nextText() {
            return lines().get(step) + (last() ? "" : "\n");
        }

        boolean last() {
            return step >= lines().size() - 1;
        }

        /** The rest of the script from this step on. */
        String rest() {
            StringBuilder text = new StringBuilder();
            for (int i = step; i < lines().size(); i++) {
                text.append(new Branch(script, wrong, i, 0).nextText());
            }
            return text.toString();
        }

        /** What the answer line states. */
        String answer() {
            return lines().getLast().substring("A: ".length());
        }

        Branch at(int newStep, int newLength) {
            return new Branch(script, wrong, newStep, newLength);
        }
    }

    private final class Service extends GeneratorGrpc.GeneratorImplBase {

        @Override
        public void describe(DescribeRequest request, StreamObserver<ModelInfo> response) {
            response.onNext(ModelInfo.newBuilder().setModel("scripted").setInstance(instance).setStepDelimiter("\n")
                    .setContextLength(512).setMaxStepTokens(64).setLiveBranches(liveBranches.get()).build());
            response.onCompleted();
        }

        @Override
        public StreamObserver<SessionCommand> session(StreamObserver<SessionEvent> events) {
            // Counted from the first command, as the real generator opens its session then: a stream opened
            // ahead (a spare) holds nothing.
            streamsOpened.incrementAndGet();
            io.grpc.Deadline deadline = io.grpc.Context.current().getDeadline();
            return new StreamObserver<SessionCommand>() {
                boolean counted;
                final Map<Long, Branch> branches = new HashMap<>();
                final ReentrantLock lock = new ReentrantLock();
                final Map<Long, Long> pendingExtend = new ConcurrentHashMap<>(); // branch -> command id
                long generated;
                long prefilled;
                boolean done;

                private void emit(SessionEvent.Builder e, long commandId, String requestId) {
                    lock.lock();
                    try {
                        if (!done) {
                            events.onNext(e.setCommandId(commandId).setRequestId(requestId).build());
                        }
                    } finally {
                        lock.unlock();
                    }
                }

                private void error(SessionCommand c, int code, String message) {
                    emit(SessionEvent.newBuilder().setError(CommandError.newBuilder().setCode(code).setMessage(message)),
                            c.getCommandId(), c.getRequestId());
                }

                @Override
                public void onNext(SessionCommand c) {
                    received.add(c);
                    lock.lock();
                    try {
                        if (!counted) {
                            counted = true;
                            openSessions.incrementAndGet();
                            if (deadline != null) {
                                streamDeadlines.put(c.getRequestId(), deadline);
                            }
                        }
                        handle(c);
                    } finally {
                        lock.unlock();
                    }
                }

                private void handle(SessionCommand c) {
                    switch (c.getCommandCase()) {
                        case START -> {
                            String prompt = c.getStart().getPrompt();
                            Script script = Script.of(prompt);
                            if (script == null) {
                                error(c, 3, "start.prompt: no a+b in it");
                                return;
                            }
                            for (long id : c.getStart().getBranchIdsList()) {
                                branches.put(id, new Branch(script, id % 2 == 1, 0, prompt.length()));
                                liveBranches.incrementAndGet();
                            }
                            prefilled += prompt.length();
                            emit(SessionEvent.newBuilder().setStarted(Started.newBuilder()
                                    .addAllBranchIds(c.getStart().getBranchIdsList()).setPromptTokens(prompt.length())),
                                    c.getCommandId(), c.getRequestId());
                        }
                        case EXTEND -> {
                            for (long id : c.getExtend().getBranchIdsList()) {
                                if (!branches.containsKey(id)) {
                                    error(c, 5, "extend.branch_ids: unknown branch " + id);
                                    return;
                                }
                            }
                            for (long id : c.getExtend().getBranchIdsList()) {
                                if (id >= 900) {
                                    continue; // never answers
                                }
                                pendingExtend.put(id, c.getCommandId());
                                answerLater(branches.get(id).step(),
                                        () -> timer.schedule(() -> answerStep(c, id), stepDelayMs * id, TimeUnit.MILLISECONDS));
                            }
                        }
                        case FORK -> {
                            Branch parent = branches.get(c.getFork().getBranchId());
                            if (parent == null) {
                                error(c, 5, "fork.branch_id: unknown branch");
                                return;
                            }
                            for (long child : c.getFork().getChildIdsList()) {
                                branches.put(child, parent);
                                liveBranches.incrementAndGet();
                            }
                            emit(SessionEvent.newBuilder().setForked(Forked.newBuilder().setBranchId(c.getFork().getBranchId())
                                    .addAllChildIds(c.getFork().getChildIdsList())), c.getCommandId(), c.getRequestId());
                        }
                        case CANCEL -> {
                            for (long id : c.getCancel().getBranchIdsList()) {
                                if (branches.remove(id) != null) {
                                    liveBranches.decrementAndGet();
                                }
                                Long extendCommand = pendingExtend.remove(id);
                                if (extendCommand != null) {
                                    emit(SessionEvent.newBuilder().setStep(Step.newBuilder().setBranchId(id)
                                            .setEnd(StepEnd.CANCELLED).setFinished(true)), extendCommand, c.getRequestId());
                                }
                            }
                            emit(SessionEvent.newBuilder().setCancelled(Cancelled.newBuilder()
                                    .addAllBranchIds(c.getCancel().getBranchIdsList())), c.getCommandId(), c.getRequestId());
                        }
                        case PROBE -> {
                            Branch branch = branches.get(c.getProbe().getBranchId());
                            if (branch == null) {
                                error(c, 5, "probe.branch_id: unknown branch");
                                return;
                            }
                            String text = " " + branch.answer();
                            generated += text.length();
                            generatedTokens.addAndGet(text.length());
                            prefilled += c.getProbe().getCue().length();
                            emit(SessionEvent.newBuilder().setProbe(ProbeResult.newBuilder()
                                    .setBranchId(c.getProbe().getBranchId()).setText(text)
                                    .setCueTokens(c.getProbe().getCue().length()).setGeneratedTokens(text.length())),
                                    c.getCommandId(), c.getRequestId());
                        }
                        case APPEND -> {
                            Branch branch = branches.get(c.getAppend().getBranchId());
                            if (branch == null) {
                                error(c, 5, "append.branch_id: unknown branch");
                                return;
                            }
                            int tokens = c.getAppend().getText().length();
                            prefilled += tokens;
                            branches.put(c.getAppend().getBranchId(), branch.at(branch.step(), branch.length() + tokens));
                            emit(SessionEvent.newBuilder().setAppended(Appended.newBuilder().setBranchId(c.getAppend().getBranchId())
                                    .setTokens(tokens).setLength(branch.length() + tokens)), c.getCommandId(), c.getRequestId());
                        }
                        case CLOSE -> {
                            int freed = branches.size();
                            liveBranches.addAndGet(-freed);
                            branches.clear();
                            SessionEvent.Builder closed = SessionEvent.newBuilder().setClosed(Closed.newBuilder()
                                    .setBranchesFreed(freed).setGeneratedTokens(generated).setPrefillTokens(prefilled));
                            // No longer counted before Closed goes out: a client that has read it sees the session gone.
                            if (endSession()) {
                                events.onNext(closed.setCommandId(c.getCommandId()).setRequestId(c.getRequestId()).build());
                                events.onCompleted();
                            }
                        }
                        default -> error(c, 3, "command: missing");
                    }
                }

                private void answerStep(SessionCommand c, long id) {
                    lock.lock();
                    try {
                        if (pendingExtend.remove(id) == null) {
                            return; // cancelled meanwhile
                        }
                        Branch branch = branches.get(id);
                        if (branch == null) {
                            return;
                        }
                        boolean toEnd = c.getExtend().getUntil() == io.ttsmesh.proto.generator.Until.TO_END;
                        String text = toEnd ? branch.rest() : branch.nextText();
                        boolean eos = toEnd || branch.last();
                        int tokens = text.length() + (eos ? 1 : 0);
                        int quota = c.getExtend().getMaxTokens();
                        boolean cut = quota > 0 && tokens > quota;
                        if (cut) {
                            // The quota ran out mid-step: the branch stays live where it was (good enough for tests).
                            text = text.substring(0, Math.min(text.length(), quota));
                            tokens = text.length();
                            eos = false;
                        }
                        generated += tokens;
                        generatedTokens.addAndGet(tokens);
                        var step = Step.newBuilder().setBranchId(id).setText(text)
                                .setEnd(eos ? StepEnd.EOS : cut ? StepEnd.QUOTA : StepEnd.DELIMITER).setFinished(eos)
                                .setLength(branch.length() + tokens).setMeanLogprob(tokens > 0 ? -0.5f : 0f);
                        for (int i = 0; i < tokens; i++) {
                            step.addTokenIds(i < text.length() ? text.charAt(i) : 0);
                            if (!c.getExtend().getOmitTokenLogprobs()) {
                                step.addLogprobs(TokenLogprob.newBuilder().setTokenId(i).setLogprob(-0.5f)
                                        .addTop(TopLogprob.newBuilder().setTokenId(i).setLogprob(-0.5f)));
                            }
                        }
                        if (eos) {
                            branches.remove(id);
                            liveBranches.decrementAndGet();
                        } else if (cut) {
                            branches.put(id, branch.at(branch.step(), branch.length() + tokens));
                        } else {
                            branches.put(id, branch.at(branch.step() + 1, branch.length() + tokens));
                        }
                        emit(SessionEvent.newBuilder().setStep(step), c.getCommandId(), c.getRequestId());
                    } finally {
                        lock.unlock();
                    }
                }

                private void finish() {
                    if (endSession()) {
                        events.onCompleted();
                    }
                }

                /** False when it had ended already. */
                private boolean endSession() {
                    if (done) {
                        return false;
                    }
                    done = true;
                    if (counted) {
                        openSessions.decrementAndGet();
                    }
                    return true;
                }

                @Override
                public void onError(Throwable t) {
                    lock.lock();
                    try {
                        liveBranches.addAndGet(-branches.size());
                        branches.clear();
                        endSession();
                    } finally {
                        lock.unlock();
                    }
                }

                @Override
                public void onCompleted() {
                    lock.lock();
                    try {
                        liveBranches.addAndGet(-branches.size());
                        branches.clear();
                        finish();
                    } finally {
                        lock.unlock();
                    }
                }
            };
        }
    }

    /** Questions the script understands: "a+b". */
    public static List<String> questions(int n) {
        List<String> qs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            qs.add((i + 2) + "+" + (i + 3));
        }
        return qs;
    }
}
