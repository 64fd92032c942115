using System;
using System.Collections.Generic;
using System.Linq;

namespace Shop.Inventory
{
    /// <summary>Keeps stock levels per product and warns when they run low.</summary>
    public sealed class Inventory
    {
        private readonly Dictionary<string, int> _stock = new();
        private const string Brace = "{ not a real brace }";

        /// <summary>Adds units of a product to the stock.</summary>
        /// <param name="sku">The product's stock keeping unit.</param>
        /// <param name="units">How many units arrived.</param>
        public void Receive(string sku, int units)
        {
            if (units <= 0)
                throw new ArgumentOutOfRangeException(nameof(units), "A delivery has at least one unit.");
            _stock[sku] = _stock.TryGetValue(sku, out var current) ? current + units : units;
        }

        /// <summary>Takes units out of the stock for an order, if there are enough.</summary>
        public bool TryShip(string sku, int units)
        {
            if (!_stock.TryGetValue(sku, out var current) || current < units)
                return false;
            _stock[sku] = current - units;
            return true;
        }

        /// <summary>The products whose stock is below the threshold, lowest first.</summary>
        public IReadOnlyList<string> LowStock(int threshold) =>
            _stock.Where(p => p.Value < threshold).OrderBy(p => p.Value).Select(p => p.Key).ToList();

        public int this[string sku] => _stock.GetValueOrDefault(sku);
    }

    public record Delivery(string Sku, int Units, DateTime ArrivedAt);

    public interface IWarehouse
    {
        Inventory Inventory { get; }
        void Accept(Delivery delivery);
    }
}
