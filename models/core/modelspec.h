#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>

namespace evs {

struct RetryPolicy {
    int maxAttempts = 3; // total attempts, first one included
    int baseMs = 500;
    int maxMs = 10000;
};

struct RateLimit {
    double rpm = 0; // requests per minute; 0 = unlimited
    double tpm = 0; // tokens per minute (prompt estimate + max_tokens); 0 = unlimited
};

struct CircuitBreakerPolicy {
    int failureThreshold = 20; // consecutive failed attempts that open the breaker
    int cooldownMs = 5000; // open time before one probe request is let through
};

// Behaviour of the built-in simulated endpoint, from a model's "simulate" object (docs/architecture.md section 6).
struct SimulatorSettings {
    double accuracy = 0.8;
    double latencyMs = 120; // median time to first token
    double tailMs = 600; // p99 time to first token
    double tokenMs = 8; // delay between streamed tokens
    int outputTokens = 0; // 0 = length of the natural answer
    int retryAfterS = 1; // Retry-After sent with injected 429s
    int stallMs = 120000; // how long an injected stall stays silent
    // Fault probabilities per request, 0..1: http_429, http_5xx, stall, reset, malformed, truncated.
    QMap<QString, double> faults;
};

struct ModelSpec {
    QString id; // the plan's name for this model
    QString provider; // openai | openai-completions | anthropic | ollama | simulator
    QString baseUrl; // empty for an in-process simulator
    QString model; // the server's model id
    QString apiKeyRef; // "env:NAME" or "keychain:NAME"; never the key itself
    bool stream = true;
    bool http2 = false; // HTTP/2 with prior knowledge (cleartext) / allowed on https
    bool tlsVerify = true;
    QJsonObject params; // sent to the server as they are
    int concurrency = 0; // 0 = the run's default
    int connectTimeoutMs = 5000;
    int timeoutMs = 60000;
    int idleTimeoutMs = 20000;
    RetryPolicy retries;
    RateLimit rateLimit;
    CircuitBreakerPolicy circuitBreaker;
    double priceInputPerMTok = 0;
    double priceOutputPerMTok = 0;
    SimulatorSettings simulate;
};

} // namespace evs
