using System.Reflection;
using System.Text.Json;
using FluentValidation;

namespace EvidenceApi.Infrastructure;

public static class ValidationSetup
{
    public static IServiceCollection AddApiValidation(this IServiceCollection services)
    {
        // Error keys match the JSON and query names clients send: camelCase, dotted for nested members.
        ValidatorOptions.Global.PropertyNameResolver = (_, member, expression) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        services.AddValidatorsFromAssemblyContaining<Program>(includeInternalTypes: true);
        return services;
    }

    /// <summary>
    /// Validates the endpoint's <typeparamref name="T"/> argument with its FluentValidation validator before
    /// the handler runs, and answers 400 with every failing field. The argument's position is found once, at start-up.
    /// </summary>
    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder)
    {
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var index = Array.FindIndex(context.MethodInfo.GetParameters(), p => p.ParameterType == typeof(T));
            if (index < 0) throw new InvalidOperationException($"{context.MethodInfo.Name} takes no {typeof(T).Name} to validate.");
            var validator = context.ApplicationServices.GetRequiredService<IValidator<T>>();

            return async invocation =>
            {
                // A body that failed to bind arrives as null when bad requests do not throw.
                if (invocation.Arguments[index] is not T argument)
                    return Problems.Of(ProblemKinds.BadRequest, "The request body is missing: send a JSON object.");
                var result = await validator.ValidateAsync(argument, invocation.HttpContext.RequestAborted);
                if (!result.IsValid)
                    return Problems.Validation(result.ToDictionary());
                return await next(invocation);
            };
        });
        return builder.ProducesValidationProblem();
    }
}
