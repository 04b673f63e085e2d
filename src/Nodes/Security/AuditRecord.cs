namespace Sinkron.Nodes.Security;

/// <summary>One audit line: who did what to which resource, and how it ended.</summary>
internal readonly record struct AuditRecord(DateTimeOffset Time, string Principal, string Operation, string Resource, string Result);
